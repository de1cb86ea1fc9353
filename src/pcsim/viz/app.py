"""The Solara app behind ``pcsim viz`` (``solara run`` serves this module's ``Page`` in its ``Layout``)."""

from pcsim.viz.page import Layout, Page

__all__ = ["Layout", "Page"]
