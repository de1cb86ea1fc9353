"""The model: the engine, one module per submodel of the ODD description, and its Mesa face.

``engine``
    :class:`~pcsim.model.engine.Simulation`: the state of R runs as arrays with a run axis, and
    the monthly step in the order of MODEL.md section 4; what schemes may change (``levers``,
    ``events``) and where the engine applies it.
``population``, ``arrays``, ``dynamics``
    the synthetic commissioner; array conventions; exact monthly relaxation.
``demand``, ``workload``, ``motivation``, ``wellbeing``, ``workforce``, ``quality``, ``innovation``,
``learning``, ``hospital``, ``commissioner``
    the submodels (processes 1-8), each a pure function of arrays and parameters.
``outputs``
    the monthly columns users depend on, and per-indicator and per-grouping tables.
``mesa_model``, ``agents``
    :class:`~pcsim.model.mesa_model.PrimaryCareModel` and its agents, readable views of the engine.
"""
