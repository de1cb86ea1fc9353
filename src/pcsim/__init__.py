"""pcsim: an agent-based simulation of primary-care transformation, on Mesa.

The package, layer by layer (each imports only from the layers below it)::

    cli            the `pcsim` command
    figures, viz   paper figures and tables; the teaching page
    experiments    single runs, compare, sweep, sa, response, patterns, provenance, the run store
    schemes        one module a scheme (QOF, the investment fund, ...) and the named policies
    model          the engine, one module per ODD submodel, the Mesa model and agents
    config, inputs configs and their validation; the parameter table, the clinical catalogue, shipped configs

Quick use from a notebook::

    import pcsim
    result = pcsim.run(seed=1, months=60)
    result.monthly        # one row per month and commissioner
    result.indicators     # recorded and delivered care per indicator
    result.manifest       # config, seed, versions, git commit
"""

from importlib import metadata

from pcsim import schemes as _schemes  # noqa: F401  (registers the built-in schemes and policies with pcsim.config)

try:
    __version__ = metadata.version("pcsim")
except metadata.PackageNotFoundError:       # a source tree that is not installed
    __version__ = "0.1.0"

__all__ = ["run", "PrimaryCareModel", "__version__"]


def __getattr__(name: str):
    """``pcsim.run`` and ``pcsim.PrimaryCareModel``, imported when first used so that ``import pcsim``
    and the command line stay quick."""
    if name == "run":
        from pcsim.experiments.runner import run

        return run
    if name == "PrimaryCareModel":
        from pcsim.model.mesa_model import PrimaryCareModel

        return PrimaryCareModel
    raise AttributeError(f"module 'pcsim' has no attribute {name!r}")
