"""The Solara app behind ``pcsim viz`` (``solara run`` serves this module's ``page``)."""

from pcsim.viz.page import make_page

page = make_page()
