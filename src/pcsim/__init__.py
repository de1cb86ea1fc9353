"""pcsim: an agent-based simulation of primary-care transformation, on Mesa.

Quick use from a notebook::

    import pcsim
    result = pcsim.run(seed=1, months=60)
    result.monthly        # one row per month and commissioner
    result.indicators     # recorded and delivered care per indicator
    result.manifest       # config, seed, versions, git commit
"""

__version__ = "0.1.0"


def run(config=None, **kwargs):
    """Run the model once; see :func:`pcsim.runner.run`."""
    from pcsim.runner import run as _run

    return _run(config, **kwargs)


def __getattr__(name):
    if name == "PrimaryCareModel":
        from pcsim.model import PrimaryCareModel

        return PrimaryCareModel
    raise AttributeError(name)
