"""Experiments: what is run on the model, and how results are kept.

``runner``        one run and its run directory (``pcsim run``, ``pcsim.run``)
``compare``       policies on common seeds, paired differences (``pcsim compare``)
``sweeps``        designs over config keys, resumable, local or Dask (``pcsim sweep``)
``sensitivity``   SALib studies (``pcsim sa``)
``response``      the investment-response curve (``pcsim response``)
``patterns``      the patterns of MODEL.md section 6 as checks
``provenance``    manifests, hashes and atomic writes
``store``         stored runs keyed by config, seeds and code (``pcsim figures``)
``plots``         the standard figure of each experiment
"""
