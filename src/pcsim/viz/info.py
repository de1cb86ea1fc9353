"""The Info tab, in the convention of NetLogo's models library: what it is, how it works, how to use
it, things to notice, things to try, extending the model, credits and references."""

from __future__ import annotations

import functools

import markdown

from pcsim.viz.scenarios import MONTHS, SCENARIOS


@functools.cache
def info_html() -> str:
    """The Info tab as HTML, made on the server (Solara's Markdown component would ask a CDN for KaTeX)."""
    return markdown.markdown(info_markdown())


def info_markdown() -> str:
    scenarios = "\n".join(f"- **{s.label}.** {s.description}" for s in SCENARIOS.values())
    return INFO.format(scenarios=scenarios, years=MONTHS // 12)


INFO = """
## What is it?

A model of how GP practices, GPs, a commissioner and its hospitals respond when the commissioner pays
for change. It asks the question of Miller (2018): *how can GPs be motivated and supported to engage in
transformation programmes which seek to deliver more integrated care?* It compares two ways of paying:
**financial micro-incentives** (pay for performance on narrow indicators, as in the Quality and Outcomes
Framework, enhanced services and CQUIN) and an **investment fund for transformation** (money up front to
groupings of practices, freedom in how to use it and monthly learning sets, as in the ACE pilot of
Birmingham Cross-City CCG).

The commissioner is a synthetic one modelled on Birmingham Cross-City: about 700,000 patients, 104
practices and sites, about 380 GP posts, three acute trusts, and the six groupings of the ACE pilot
(A to F, Miller 2018, Table 1).

## How it works

Each step is one month; a run lasts {years} years. In each month, in this order:

1. The schemes in force set their levers: what they pay for, the reporting they ask, how tightly they
   specify and monitor, the money and freedom they give.
2. Demand arrives at practices (it grows every year) and core work takes the time it takes.
3. Each GP shares the rest of their time between paid indicator work, holistic care, reporting and
   transformation, by how they value each: their **four motivations** (improve clinical care,
   organisational autonomy, being identified as an innovator, peer judgement) against what the schemes pay,
   demand and allow. Protected time bought with investment money adds transformation time.
4. Motivations move. Controlling, tick-box rewards crowd out the wish to improve care and autonomy;
   trusting, flexible funding crowds them in (crowding theory, Frey and Jegen 2001). Being selected makes
   GPs feel seen as innovators and judged by peers. Quick wins raise self-efficacy. Overload lowers morale
   and builds burnout; burnt-out GPs are more likely to leave.
5. Quality moves: indicator care towards its ceiling with effort on it, holistic care with holistic
   effort. Payment follows the **record**, so recorded care can run ahead of the care delivered.
6. Innovation projects progress with transformation time, change infrastructure and improvement method;
   learning sets build trust, and groupings share and adopt each other's innovations.
7. Emergency admissions follow delivered care, holistic care, continuity and running innovations;
   diagnostics move to primary care where practices have the four enablers (ECG, spirometry, insulin
   initiation, phlebotomy), and the commissioner decommissions hospital diagnostics.
8. The commissioner pays (capitation, incentives in arrears, investment up front), sees admissions data
   late and noisy, and moves between contract enforcer and partner in uncertainty.

The full description, with every equation and parameter and its source, is the model's ODD protocol
(Grimm et al. 2020), shipped with pcsim as docs/ODD.md.

## How to use it

1. Choose a **teaching scenario** in the sidebar; its description appears below the list.
2. Set the **levers** with the sliders (each shows its value) and, if you like, a **seed** (whole
   number): the same settings and seed always give the same run.
3. Press **Reset** to start a world with these settings. Until you do, the world on the page keeps its
   old settings, and the sidebar says so. A value the model cannot use is marked beside its control, and
   the world on the page is kept.
4. Press **Step** for one month, or **Play** to run (and **Pause** to stop); **Speed** sets how many
   months a second Play shows.
5. Watch the **monitors** at the top and the panels. Choose what colours the practices, hover over a
   practice to see its details, and click one to follow it in the inspector.
6. **Download monthly data (CSV)** saves the run so far, one row a month, for a spreadsheet;
   **Download settings (JSON)** saves what made it (settings, config, seed, versions).

The scenarios:

{scenarios}

## Things to notice

- Under micro-incentives, *recorded* indicator care jumps in the first year, well ahead of the care
  actually *delivered*; holistic care, which no indicator pays for, falls faster than under the status
  quo. GPs' wish to improve clinical care and their autonomy fall, while peer judgement rises.
- Admissions for the incentivised conditions rise more slowly than under the status quo; admissions for
  other conditions do not benefit.
- When six indicators are withdrawn in year 9, the record of them falls at once; watch how much of the
  care itself goes too.
- Under the investment fund the six groupings (ringed in orange on the network) deliver the four enablers
  within the year, motivation to improve care and autonomy rise, and more innovations run.
- After a directive roll-out, the pilot leads' morale drops in the months after the contract changes, and
  motivation falls back; compare with the partnership roll-out, same seed.
- Many small schemes bring more reporting, more burnout and more GP exits for the same money.
- The money monitor counts savings against care as it was in month 0. Demand grows, so in most runs the
  hospital costs more than it did: compare scenarios on the same seed, not against zero.

## Things to try

- Run the same seed under each scenario and compare the monitors after, say, six years.
- Change only the seed: how much of what you saw is chance?
- Set the QOF payment per point to its lowest and highest values. Does paying more buy more care, or
  more record?
- In an ACE scenario, put the fund's share on equipment at 0.1 (mostly protected time) and then at 0.6
  (mostly equipment). Is capacity or reward what matters?
- In the CQUIN-style scenario, spread the budget over 1 scheme, then 30.
- Make the commissioner a contract enforcer (stance 0) or a partner (stance 1) before a directive roll-out.
- Turn learning-set facilitation to 0 and to 1 and watch innovations and peer judgement.
- Colour the practices by peer judgement during the ACE pilot: who feels judged, the funded groupings
  or those left out?

## Extending the model

- Every number in the model lives in one parameter table with its range and source
  (`pcsim params`); a TOML config overrides any of them, and `pcsim viz CONFIG` runs this page on that
  commissioner.
- A new scheme is a small Python class registered with pcsim (`pcsim schemes` lists them); a policy is a
  timeline of schemes in a config.
- The questions behind the page have their own commands: `pcsim compare` runs the policies on common seeds
  with paired differences and intervals, `pcsim sa` a Sobol or Morris sensitivity analysis, `pcsim
  response` the investment-response curve.
- The practices' network is drawn from groupings today (each practice tied to the others of its
  grouping); when the model gains a network of its own, the page draws that.

## Credits and references

pcsim is open-source software (MIT licence), written in Python on Mesa, with this page in Solara and
Vega-Lite. The layout of this tab follows the Info tab of NetLogo's models library.

- Miller R (2018) Transforming integration through general practice: learning from a UK primary care
  improvement programme. *International Journal of Integrated Care* 18(2):13.
- Miller R (2016) Pioneering outcomes based innovation in general practice. Conference abstract, 16th
  International Conference on Integrated Care (ICIC16).
- Nuffield Trust (2015) *Transforming general practice: what are the levers for change?* London: Nuffield
  Trust.
- Transforming Primary Care Clinical Cabinet (2018) *The next steps to the Strategic Commissioning
  Framework.* London.
- Frey BS, Jegen R (2001) Motivation crowding theory. *Journal of Economic Surveys* 15(5):589-611.
- Grimm V et al. (2020) The ODD protocol for describing agent-based and other simulation models: a second
  update to improve clarity, replication, and structural realism. *Journal of Artificial Societies and
  Social Simulation* 23(2):7.
- Kazil J, Masad D, Crooks A (2020) Utilizing Python for agent-based modeling: the Mesa framework. In
  *Social, Cultural, and Behavioral Modeling* (SBP-BRiMS 2020), Springer, 308-317.
- Wilensky U (1999) NetLogo. Center for Connected Learning and Computer-Based Modeling, Northwestern
  University, Evanston, IL.
- Satyanarayan A, Moritz D, Wongsuphasawat K, Heer J (2017) Vega-Lite: a grammar of interactive graphics.
  *IEEE Transactions on Visualization and Computer Graphics* 23(1):341-350.
"""
