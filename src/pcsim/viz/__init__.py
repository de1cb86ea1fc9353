"""The teaching page (``pcsim viz``): ``scenarios`` what a class can choose, ``world`` the model and what
the page reads from it, ``charts`` the Vega-Lite panels, ``widgets`` the browser side, ``info`` the Info
tab, ``page`` the Solara page, ``app`` what Solara serves."""
