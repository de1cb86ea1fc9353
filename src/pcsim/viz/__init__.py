"""The teaching page: a Mesa SolaraViz app (``pcsim viz``); ``page`` builds it, ``app`` serves it."""
