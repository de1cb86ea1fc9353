"""The teaching page: pcsim's Mesa model in the browser, for a class.

A lecturer projects it; students pick a teaching scenario, change its levers, and watch GPs'
motivations, care, the workforce, the hospital and the money respond month by month. ``pcsim viz``
serves it on this machine with Solara (``app.py``); it needs no internet access and sends nothing
anywhere.

The page is laid out like a NetLogo model: controls on the left (Reset, Step, Play and Speed; the
scenario; one slider a lever, each showing its value; the seed; downloads), monitors along the top,
panels below, and an Info tab. Mesa's SolaraViz is not used for the frame because it shows its
developer controls (threads, render interval) to students, names its tab "Page 0" and replaces the
page with a traceback when a model cannot be built; the model itself is Mesa's
(:class:`pcsim.viz.world.TeachingModel`).

How a month reaches the screen: the server steps the model (about 2 ms), computes what the panels show
from the engine's arrays once (:class:`Snapshot`), and one render pass sends each chart its columns as
JSON; the charts are already drawn (:class:`pcsim.viz.widgets.VegaView`), so the browser only redraws
them, and says so; Play waits for that before the next month (:class:`pcsim.viz.widgets.Pacer`), so it
never runs ahead of what students see. Play runs in a thread of its own; every change of state, from
that thread or from the browser, takes the tab's lock, so that two renders never overlap.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
import threading
import time
import weakref
from dataclasses import dataclass

import numpy as np
import solara

from pcsim.config import ConfigError
from pcsim.viz import charts, world
from pcsim.viz.info import info_html
from pcsim.viz.scenarios import DEFAULT_SCENARIO, MONTHS, SCENARIOS, check_settings, levers
from pcsim.viz.widgets import Download, Pacer, VegaView

TITLE = "pcsim: paying for change in general practice"
SPEEDS = (1, 20)          # months a second that Play may be asked to show
DEFAULT_SPEED = 10
DRAW_TIMEOUT = 2.0        # seconds Play waits for the browser to draw a month before going on
log = logging.getLogger("pcsim.viz")

CSS = """
html, body { overflow: hidden !important; }
.pcsim-app { display: grid; grid-template-columns: 330px minmax(0, 1fr); grid-template-rows: 48px minmax(0, 1fr);
             height: 100vh; width: 100vw; background: #f4f5f7; }
.pcsim-bar { grid-column: 1 / 3; display: flex; align-items: center; gap: 24px; padding: 0 16px;
             background: #1f3b57; color: white; min-width: 0; }
.pcsim-bar h1 { font-size: 17px; font-weight: 500; margin: 0; white-space: nowrap; overflow: hidden;
                text-overflow: ellipsis; }
.pcsim-bar .v-tabs { flex: 0 0 auto; width: auto; }
.pcsim-sidebar { width: 330px; box-sizing: border-box; overflow-y: auto; overflow-x: hidden; padding: 10px 14px 24px;
                 background: white; border-right: 1px solid #d8dce0; }
.pcsim-sidebar .v-input { margin-top: 0; padding-top: 0; }
.pcsim-section { margin-bottom: 14px; }
.pcsim-sidebar h2 { font-size: 13px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em;
                    color: #445; margin: 4px 0 6px; }
.pcsim-buttons { display: flex; gap: 8px; }
.pcsim-buttons .v-btn { flex: 1 1 0; min-width: 0 !important; }
.pcsim-lever { margin-bottom: 6px; }
.pcsim-lever[data-lever=speed] { margin-top: 14px; }
.pcsim-lever-head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px;
                    font-size: 13px; line-height: 1.25; }
.pcsim-lever-head .pcsim-value { font-weight: 700; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pcsim-lever .v-slider { margin: 0 4px; }
.pcsim-lever .v-input__slot { margin-bottom: 0; }
.pcsim-hint { font-size: 11.5px; color: #667; line-height: 1.3; }
.pcsim-seed { margin-top: 18px !important; }
.pcsim-error { font-size: 12.5px; color: #b00020; line-height: 1.3; margin: 2px 0 4px; }
.pcsim-notice:empty, .pcsim-error:empty, .pcsim-hint:empty { display: none; }
.pcsim-notice { font-size: 12.5px; line-height: 1.35; margin: 6px 0 0; padding: 6px 8px; border-radius: 4px;
                background: #fff4e0; color: #5a3b00; }
.pcsim-panel .v-select, .pcsim-sidebar .v-select { margin-top: 12px !important; }
.pcsim-scenario-text { font-size: 12.5px; line-height: 1.4; color: #333; margin-top: 4px; }
.pcsim-main { overflow-y: auto; overflow-x: hidden; min-width: 0; }
.pcsim-monitors { position: sticky; top: 0; z-index: 3; display: flex; flex-wrap: wrap; gap: 6px;
                  padding: 8px 12px; background: #f4f5f7; border-bottom: 1px solid #d8dce0; }
.pcsim-monitor { background: white; border: 1px solid #c9ced4; border-radius: 4px; padding: 2px 10px 3px;
                 min-width: 96px; flex: 1 1 96px; }
.pcsim-monitor .pcsim-monitor-label { font-size: 11px; color: #556; white-space: nowrap; }
.pcsim-monitor .pcsim-monitor-value { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums;
                                      white-space: nowrap; }
.pcsim-panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(430px, 1fr)); gap: 12px;
                padding: 12px; }
.pcsim-panel { background: white; border: 1px solid #d8dce0; border-radius: 4px; padding: 8px 12px 10px;
               min-width: 0; overflow: hidden; }
.pcsim-panel h3 { font-size: 14px; font-weight: 600; margin: 0 0 4px; }
.pcsim-caption { font-size: 12.5px; color: #444; line-height: 1.4; margin-top: 4px; }
.pcsim-inspector table { border-collapse: collapse; font-size: 12.5px; width: 100%; }
.pcsim-inspector td, .pcsim-inspector th { padding: 1px 6px 1px 0; text-align: left; vertical-align: top; }
.pcsim-inspector th { font-weight: 600; color: #445; }
.pcsim-inspector td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pcsim-info { max-width: 900px; padding: 16px 24px 48px; background: white; margin: 12px; border-radius: 4px;
              border: 1px solid #d8dce0; }
.pcsim-info h2 { font-size: 19px; margin: 18px 0 6px; text-transform: uppercase; letter-spacing: 0.03em; }
.pcsim-info li { margin-bottom: 4px; }
.pcsim-info strong, .pcsim-info b { font-weight: 700; }
"""


# ---------------------------------------------------------------------- one browser tab's state
@dataclass
class Classroom:
    """One browser tab's world and controls (Solara keeps one of these per tab)."""

    world: solara.Reactive            # the TeachingModel on the page
    frame: solara.Reactive            # counts every change of the world shown: steps and resets
    ended: solara.Reactive            # whether the world on the page has run its twelve years
    settings: solara.Reactive         # what the controls hold now (the seed as typed)
    errors: solara.Reactive           # control -> message for values that cannot be used
    notice: solara.Reactive           # a message beside Reset (a world that could not be built)
    playing: solara.Reactive
    speed: solara.Reactive            # months a second Play shows at most
    measure: solara.Reactive          # what colours the practices
    selected: solara.Reactive         # the practice in the inspector
    tab: solara.Reactive              # 0 the model, 1 Info
    pacer: Pacer
    lock: threading.RLock

    def __post_init__(self):
        # one handler a control, made once (see use_classroom)
        self.changes = {name: functools.partial(self.change, name) for name in ("regime", "seed", *levers())}
        self.plays = 0                                    # counts presses of Play: only the latest thread steps
        self.closed = threading.Event()                   # the tab has gone: Play's thread ends

    # -------------------------------------------------------------- what the buttons do
    # Every change of state takes the tab's lock: the change renders the page in the thread that makes
    # it, and Play's thread and the browser's events must not render at the same time.
    def set(self, reactive: solara.Reactive, value) -> None:
        with self.lock:
            reactive.value = value

    def toggle_play(self) -> None:
        """Play or Pause. Play runs in a thread of its own (a plain thread: one that Solara manages
        would render the page outside this tab's lock when it finishes)."""
        with self.lock:
            self.playing.value = not self.playing.value
            if self.playing.value:
                self.plays += 1
                threading.Thread(target=self.play, args=(self.plays,), name="pcsim-play", daemon=True).start()

    def set_speed(self, value) -> None:
        self.set(self.speed, int(round(value)))

    def set_tab(self, tab) -> None:
        self.set(self.tab, tab)

    def set_measure(self, measure) -> None:
        self.set(self.measure, measure)

    def select(self, datum) -> None:
        """A click on the network: inspect the practice clicked (a click beside the dots does nothing)."""
        if isinstance(datum, dict) and isinstance(datum.get("index"), int):
            self.set(self.selected, datum["index"])

    def step(self) -> None:
        """One month, unless the run is over."""
        with self.lock:
            model = self.world.value
            if model.sim.month < MONTHS:
                model.step()
                self.frame.value += 1
                self.ended.value = model.sim.month >= MONTHS

    def reset(self) -> None:
        """A new world from the controls' values, or messages saying which values cannot be used
        (the world on the page is kept)."""
        with self.lock:
            values, errors = check_settings(self.settings.value)
            self.errors.value = errors
            if errors:
                self.notice.value = "A setting marked in red cannot be used, so the world on the page is kept."
                return
            try:
                model = world.TeachingModel(**values)
            except ConfigError as error:
                self.notice.value = f"This world cannot be built ({error}), so the world on the page is kept."
                return
            except Exception as error:  # noqa: BLE001 - a page must never show a traceback to a class
                log.exception("pcsim viz: could not build a world from %s", values)
                self.notice.value = (f"This world cannot be built ({type(error).__name__}: {error}), so the world "
                                     f"on the page is kept.")
                return
            self.playing.value = False
            self.ended.value = False
            self.notice.value = None
            self.world.value = model
            if self.selected.value is not None and self.selected.value >= model.sim.structure.n_practices:
                self.selected.value = 0
            self.frame.value += 1

    def change(self, name: str, value) -> None:
        """A control moved: keep its value and say at once whether it can be used."""
        lever = levers().get(name)
        if lever is not None:
            value = lever.snap(value)
        with self.lock:
            self.settings.value = {**self.settings.value, name: value}
            _, errors = check_settings(self.settings.value)
            self.errors.value = errors
            if not errors:
                self.notice.value = None

    def play(self, press: int) -> None:
        """Step while Play is on, at most ``speed`` months a second and never faster than the
        browser draws them; stop at the end of the run, on Pause or Reset, when Play is pressed again
        (that press's thread goes on), or when the tab goes."""
        while not self.closed.is_set():
            started = time.perf_counter()
            with self.lock:
                if not self.playing.value or press != self.plays:
                    return
                try:
                    self.step()
                except Exception as error:  # noqa: BLE001
                    log.exception("pcsim viz: a step failed")
                    self.playing.value = False
                    self.notice.value = f"The model stopped: {type(error).__name__}: {error}. Press Reset."
                    return
                if self.world.value.sim.month >= MONTHS:
                    self.playing.value = False
                    return
            self.pacer.wait(self.frame.value, DRAW_TIMEOUT)
            rest = 1 / max(float(self.speed.value), 0.1) - (time.perf_counter() - started)
            if rest > 0:
                self.closed.wait(rest)

    def pending(self) -> bool:
        """Whether the controls hold settings the world on the page was not built with."""
        values, errors = check_settings(self.settings.value)
        return not errors and values != self.world.value.settings


def initial_settings() -> dict:
    return {"regime": DEFAULT_SCENARIO, "seed": "1", **{name: lever.default for name, lever in levers().items()}}


def use_classroom() -> Classroom:
    """The tab's Classroom, the same object at every render: its methods are the handlers of the
    buttons, and a handler that changed at each render would be swapped on the widget while Play's
    thread renders, and a click arriving then would be lost."""
    model = solara.use_memo(world.TeachingModel, [])
    state = dict(world=solara.use_reactive(model), frame=solara.use_reactive(0), ended=solara.use_reactive(False),
                 settings=solara.use_reactive(initial_settings()), errors=solara.use_reactive({}),
                 notice=solara.use_reactive(None), playing=solara.use_reactive(False),
                 speed=solara.use_reactive(DEFAULT_SPEED), measure=solara.use_reactive(world.DEFAULT_MEASURE),
                 selected=solara.use_reactive(0), tab=solara.use_reactive(0))
    return solara.use_memo(lambda: Classroom(**state, pacer=Pacer(), lock=threading.RLock()), [])


# ---------------------------------------------------------------------- what a month shows, computed once
@dataclass
class Snapshot:
    month: int
    data: np.ndarray          # monthly outputs so far (months, COLUMNS)
    derived: dict             # running totals (charts.derived_series)
    practices: dict           # each practice now (world.practice_values)


_snapshots: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # model -> its latest Snapshot
_snapshots_lock = threading.Lock()


def snapshot(model) -> Snapshot:
    """The month's data, computed once however many panels read it."""
    with _snapshots_lock:
        cached = _snapshots.get(model)
        if cached is None or cached.month != model.sim.month:
            data = world.monthly(model)
            cached = _snapshots[model] = Snapshot(model.sim.month, data, charts.derived_series(data),
                                                  world.practice_values(model))
        return cached


# ---------------------------------------------------------------------- the page
@solara.component
def Page():
    classroom = use_classroom()
    solara.Title(TITLE)
    solara.Style(CSS)
    solara.use_effect(lambda: classroom.closed.set, [])          # when the tab goes, so does Play
    with solara.Div(classes=["pcsim-app"]):
        with solara.Div(classes=["pcsim-bar"]):
            solara.HTML(tag="h1", unsafe_innerHTML=html.escape(TITLE))
            solara.v.Tabs(v_model=classroom.tab.value, on_v_model=classroom.set_tab, background_color="#1f3b57",
                          dark=True, height=48,
                          children=[solara.v.Tab(children=["Model"]), solara.v.Tab(children=["Info"])])
        with solara.Div(classes=["pcsim-sidebar"]):
            Controls(classroom)
        with solara.Div(classes=["pcsim-main"]):
            if classroom.tab.value == 0:
                ModelTab(classroom)
            else:
                solara.HTML(tag="div", classes=["pcsim-info"], unsafe_innerHTML=info_html())


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara's signature
    """The page fills the window itself (no Solara app bar or drawer around it)."""
    return solara.Div(children=children)


# ---------------------------------------------------------------------- the sidebar
@solara.component
def Controls(classroom: Classroom):
    settings, errors = classroom.settings.value, classroom.errors.value
    with solara.Div(classes=["pcsim-section"]):
        RunButtons(classroom)
        # the notice is always there (empty, it is hidden): an element that comes and goes would make
        # the browser rebuild the controls after it, and a drag or click under way would be lost
        if classroom.notice.value:
            notice, attributes = html.escape(classroom.notice.value), {"role": "alert", "data-control": "reset"}
        elif classroom.pending():
            notice = "Settings changed: press <b>Reset</b> to start a world with them."
            attributes = {"data-control": "pending"}
        else:
            notice, attributes = "", {}
        solara.HTML(tag="div", classes=["pcsim-notice"], attributes=attributes, unsafe_innerHTML=notice)
        speed = classroom.speed.value
        Slider("speed", "Speed of Play (months a second)", speed, SPEEDS[0], SPEEDS[1], 1, f"{speed:.0f}",
               classroom.set_speed, None, None)
    with solara.Div(classes=["pcsim-section"]):
        solara.HTML(tag="h2", unsafe_innerHTML="Teaching scenario")
        solara.Select("Scenario", values=list(SCENARIOS), value=settings["regime"],
                      on_value=classroom.changes["regime"], dense=True,
                      classes=["pcsim-scenario"])
        scenario = SCENARIOS.get(settings["regime"])
        if scenario is not None:
            solara.HTML(tag="div", classes=["pcsim-scenario-text"], attributes={"data-scenario": scenario.label},
                        unsafe_innerHTML=f"<b>{html.escape(scenario.label)}.</b> {html.escape(scenario.description)}")
        Error(errors.get("regime"), "regime")
    with solara.Div(classes=["pcsim-section"]):
        solara.HTML(tag="h2", unsafe_innerHTML="Levers")
        for name, lever in levers().items():
            value = settings[name]
            Slider(name, lever.label, value, lever.low, lever.high, lever.step, lever.show(value),
                   classroom.changes[name], f"Used in: {lever.used_by}.", errors.get(name),
                   integer=lever.integer)
        solara.InputText("Seed (a whole number)", value=str(settings["seed"]), continuous_update=True,
                         on_value=classroom.changes["seed"], error=errors.get("seed") or False,
                         classes=["pcsim-seed"], dense=True)
        Error(errors.get("seed"), "seed")
    with solara.Div(classes=["pcsim-section"]):
        solara.HTML(tag="h2", unsafe_innerHTML="Take the data home")
        Downloads(classroom)


@solara.component
def RunButtons(classroom: Classroom):
    over = classroom.ended.value
    playing = classroom.playing.value
    with solara.Div(classes=["pcsim-buttons"]):
        solara.Button("Reset", color="primary", on_click=classroom.reset, classes=["pcsim-reset"])
        solara.Button("Step", color="primary", on_click=classroom.step, disabled=playing or over,
                      classes=["pcsim-step"])
        solara.Button("Pause" if playing else "Play", color="primary", icon_name="mdi-pause" if playing else "mdi-play",
                      on_click=classroom.toggle_play, disabled=over and not playing,
                      classes=["pcsim-play"])
    # always there, so that the buttons' row is never rebuilt under a click
    solara.HTML(tag="div", classes=["pcsim-hint"],
                unsafe_innerHTML=f"The run is over ({MONTHS // 12} years). Press Reset for a new one." if over else "")


@solara.component
def Slider(name, label, value, low, high, step, shown, on_value, hint, error, integer=False):
    """A slider with its label and value above its track, so the track keeps the sidebar's width."""
    with solara.Div(classes=["pcsim-lever"], attributes={"data-lever": name}):
        solara.HTML(tag="div", classes=["pcsim-lever-head"],
                    unsafe_innerHTML=f"<span>{html.escape(label)}</span>"
                                     f"<span class='pcsim-value' data-value='{html.escape(str(value))}'>"
                                     f"{html.escape(shown)}</span>")
        slider = solara.SliderInt if integer else solara.SliderFloat
        slider("", value=value, min=low, max=high, step=step, on_value=on_value, thumb_label=False)
        if hint:
            solara.HTML(tag="div", classes=["pcsim-hint"], unsafe_innerHTML=html.escape(hint))
        Error(error, name)


@solara.component
def Error(message, control):
    """The message beside a control whose value cannot be used (always there, empty and hidden when
    the value is good, for the reason given in Controls)."""
    solara.HTML(tag="div", classes=["pcsim-error"], unsafe_innerHTML=html.escape(message or ""),
                attributes={"role": "alert", "data-control": control} if message else {})


@solara.component
def Downloads(classroom: Classroom):
    def csv():
        model = classroom.world.value
        return f"{file_stem(model)}.csv", world.monthly_csv(model), "text/csv"

    def settings():
        model = classroom.world.value
        return f"{file_stem(model)}.json", json.dumps(world.run_manifest(model), indent=2, default=str), \
            "application/json"

    Download.element(label="Download monthly data (CSV)", make=csv)
    solara.HTML(tag="div", classes=["pcsim-hint"], unsafe_innerHTML="One row a month of the run so far.")
    Download.element(label="Download settings (JSON)", make=settings, color="secondary")
    solara.HTML(tag="div", classes=["pcsim-hint"],
                unsafe_innerHTML="Scenario, levers, seed, the full config, versions and code commit.")


def file_stem(model) -> str:
    scenario = re.sub(r"[^a-z0-9]+", "-", model.regime.lower()).strip("-")
    return f"pcsim-{scenario}-seed{model.settings['seed']}-month{model.sim.month}"


# ---------------------------------------------------------------------- monitors
def money(value: float) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}GBP {abs(value) / 1e6:,.1f}m"


@solara.component
def Monitors(model, shot: Snapshot):
    m = world.monitors(model, shot.data)
    when = f"{m['year']}, month {m['month_of_year']}" if m["month"] else "start"
    shown = (("Month", f"{m['month']} of {MONTHS}", "month"), ("Year", when, "year"),
             ("GPs in post", f"{m['gps']:.0f} of {m['posts']:.0f}", "gps"),
             ("GP exits so far", f"{m['exits']:.0f}", "exits"),
             ("Spend so far", money(m["spend"]), "spend"),
             ("Savings so far", money(m["savings"]), "savings"),
             ("Innovations running", f"{m['innovations']:.0f}", "innovations"))
    with solara.Div(classes=["pcsim-monitors"]):
        for label, value, key in shown:
            solara.HTML(tag="div", classes=["pcsim-monitor"], attributes={"data-monitor": key},
                        unsafe_innerHTML=f"<div class='pcsim-monitor-label'>{label}</div>"
                                         f"<div class='pcsim-monitor-value'>{html.escape(value)}</div>")


# ---------------------------------------------------------------------- panels
@solara.component
def ModelTab(classroom: Classroom):
    """Monitors and panels: the one component that follows the month, so that a month is one render
    pass however many panels there are."""
    frame = classroom.frame.value
    model = classroom.world.value
    shot = snapshot(model)
    Monitors(model, shot)
    with solara.Div(classes=["pcsim-panels"]):
        NetworkPanel(classroom, model, shot, frame, classroom.measure.value, classroom.selected.value)
        Inspector(model, shot, classroom.selected.value)
        for chart in charts.TIME_CHARTS:
            TimePanel(classroom, chart, model, shot, frame)
        SpreadPanel(classroom, model, frame)


@solara.component
def Panel(key: str, title: str, caption: str, children=[]):  # noqa: B006
    return solara.Div(classes=["pcsim-panel"], attributes={"data-panel": key}, children=[
        solara.HTML(tag="h3", unsafe_innerHTML=html.escape(title)), *children,
        solara.HTML(tag="div", classes=["pcsim-caption"], unsafe_innerHTML=html.escape(caption))])


def frame_json(frame: int, **sets) -> str:
    """What a chart is fed for a month: the frame number and its named data sets (columns), as JSON text."""
    return json.dumps({"frame": frame, "sets": sets}, separators=(",", ":"))


def use_drawn(classroom: Classroom, key: str) -> None:
    """Tell the pacer this chart is on show while it is (Play waits for it to draw each month)."""
    def shown():
        classroom.pacer.show(key)
        return lambda: classroom.pacer.hide(key)

    solara.use_effect(shown, [])


@solara.component
def TimePanel(classroom: Classroom, chart: charts.TimeChart, model, shot: Snapshot, frame: int):
    use_drawn(classroom, chart.key)
    spec = solara.use_memo(lambda: json.dumps(charts.time_spec(chart, world.scheme_windows(model))), [model])
    with Panel(chart.key, chart.title, chart.caption):
        VegaView.element(name=chart.key, spec=spec, on_rendered=classroom.pacer.drawn,
                         payload=frame_json(frame, months=charts.time_columns(chart, shot.data, shot.derived)))


@solara.component
def NetworkPanel(classroom: Classroom, model, shot: Snapshot, frame: int, measure: str, selected):
    use_drawn(classroom, "network")
    spec = solara.use_memo(lambda: json.dumps(charts.network_spec(model, measure)), [model, measure])

    practices = charts.network_columns(model, shot.practices, measure, selected)
    with Panel("network", f"Practices, month {model.sim.month}",
               "Each dot is a practice, sized by its list and coloured by the measure chosen; lines are the ties "
               "over which practices judge one another and innovations and routines spread: within a grouping, "
               "within a network, to near neighbours and through a shared hospital. The six ACE groupings (A-F) sit in the middle, single practices around them; an "
               "orange ring marks a practice whose grouping the investment fund selected. Hover over a practice "
               "to see it; click it to follow it in the inspector."):
        solara.Select("Colour practices by", values=list(world.MEASURES), value=measure,
                      on_value=classroom.set_measure, dense=True, classes=["pcsim-measure"])
        VegaView.element(name="network", spec=spec, renderer="svg", listen_to_click=True, on_click=classroom.select,
                         on_rendered=classroom.pacer.drawn, payload=frame_json(frame, practices=practices))


@solara.component
def Inspector(model, shot: Snapshot, practice):
    if practice is None or practice >= model.sim.structure.n_practices:
        practice = 0
    d = world.practice_details(model, practice, shot.practices)
    income = world.total_income(d)
    rows = (("Grouping", f"{d['grouping']}" + (" (funded)" if d["funded"] else "")),
            ("List size", f"{d['list_size']:,.0f} patients"),
            ("GPs in post", f"{d['gps']:.0f} of {d['posts']:.0f} posts"),
            ("Improve clinical care", f"{d['clinical_care']:.2f}"), ("Autonomy", f"{d['autonomy']:.2f}"),
            ("Identified as innovator", f"{d['innovator']:.2f}"), ("Peer judgement", f"{d['peer_judgement']:.2f}"),
            ("Self-efficacy", f"{d['self_efficacy']:.2f}"),
            ("Morale / burnout", f"{d['morale']:.2f} / {d['burnout']:.2f}"),
            ("Indicator care delivered / recorded", f"{d['delivered']:.2f} / {d['recorded']:.2f}"),
            ("Holistic care / continuity", f"{d['holistic']:.2f} / {d['continuity']:.2f}"),
            ("Enablers", f"{d['enablers']} of {d['of_enablers']}"), ("Grouping's innovation", d["stage"]),
            ("Income so far", money(income)),
            ("of which incentives / investment", f"{money(d['income_incentives'])} / {money(d['income_investment'])}"))
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    gps = "".join(
        f"<tr><td>{g['post']}</td><td>{'vacant' if not g['in_post'] else g['employment']}</td>"
        + "".join(f"<td class='num'>{g[k]:.2f}</td>" if g["in_post"] else "<td></td>"
                  for k in ("clinical_care", "autonomy", "morale", "burnout")) + "</tr>" for g in d["gp_posts"])
    body = (f"<table>{table}</table><h3 style='margin-top:8px'>Its GP posts</h3><table><tr><th>post</th><th>GP</th>"
            f"<th>care</th><th>autonomy</th><th>morale</th><th>burnout</th></tr>{gps}</table>")
    with Panel("inspector", f"Inspecting practice {practice + 1}",
               "Click a practice on the network to inspect it. Motivations, morale and quality are levels from 0 to "
               "1; income is what the commissioner has paid the practice since month 0."):
        solara.HTML(tag="div", classes=["pcsim-inspector"], unsafe_innerHTML=body,
                    attributes={"data-practice": str(practice + 1)})


@solara.component
def SpreadPanel(classroom: Classroom, model, frame: int):
    use_drawn(classroom, "spread")
    spec = solara.use_memo(lambda: json.dumps(charts.histogram_spec()), [])
    with Panel("spread", f"GPs' motivation now ({int(model.sim.in_post[world.RUN].sum())} GPs)",
               "The spread of motivation between GPs: each GP brings their own traits, which the scenario then "
               "pushes up or down."):
        VegaView.element(name="spread", spec=spec, on_rendered=classroom.pacer.drawn,
                         payload=frame_json(frame, bins=charts.histogram_columns(model)))
