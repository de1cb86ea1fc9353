"""The widgets the page adds to Solara's: a Vega-Lite chart fed new data every month, and a download.

Solara's own ``FigureAltair`` sends a whole chart each time and the browser compiles and draws it
anew, after a 100 ms pause that never ends while updates keep coming. :class:`VegaView` (an ipyvue
template, ``vega_view.vue``) embeds a chart once per specification with vega-embed and then only
replaces its named data sets, which Vega redraws in milliseconds; it reports each frame it has drawn
(``on_rendered``) and the practice a student clicks (``on_click``).
"""

from __future__ import annotations

import threading
from pathlib import Path

import ipyvuetify
import traitlets


class VegaView(ipyvuetify.VuetifyTemplate):
    template_file = str(Path(__file__).with_name("vega_view.vue"))
    name = traitlets.Unicode("").tag(sync=True)
    # JSON text rather than dicts: Solara's renderer then compares two strings each month instead of
    # walking thousands of rows looking for widgets inside them
    spec = traitlets.Unicode("{}").tag(sync=True)          # a Vega-Lite specification
    payload = traitlets.Unicode("{}").tag(sync=True)       # {"frame": n, "sets": {name: {field: values}}}
    # (not "data": ipyvue's templates own that name)
    renderer = traitlets.Unicode("canvas").tag(sync=True)
    listen_to_click = traitlets.Bool(False).tag(sync=True)
    on_click = traitlets.Callable(None, allow_none=True)
    on_rendered = traitlets.Callable(None, allow_none=True)

    def vue_vega_click(self, datum):
        if self.on_click is not None:
            self.on_click(datum)

    def vue_rendered(self, frame):
        if self.on_rendered is not None:
            self.on_rendered(self.name, frame)


class Download(ipyvuetify.VuetifyTemplate):
    """A button that downloads a text file made on the server when it is clicked (``make`` returns
    ``(filename, text, mime type)``); unlike Solara's ``FileDownload`` it downloads again on every click."""

    template_file = str(Path(__file__).with_name("download.vue"))
    label = traitlets.Unicode("Download").tag(sync=True)
    color = traitlets.Unicode("primary").tag(sync=True)
    file = traitlets.Dict().tag(sync=True)
    make = traitlets.Callable(None, allow_none=True)

    def vue_prepare(self, _data=None):
        filename, text, mime = self.make()
        self.file = {"nonce": self.file.get("nonce", 0) + 1, "filename": filename, "text": text, "mime": mime}


class Pacer:
    """Keeps Play in step with the browser: each chart on show reports the frames it has drawn, and
    :meth:`wait` returns when all of them have drawn a frame (or after a timeout, so that a closed
    tab cannot stop the server's loop for long)."""

    def __init__(self):
        self._drawn: dict[str, int] = {}
        self._changed = threading.Condition()

    def show(self, chart: str) -> None:
        with self._changed:
            self._drawn.setdefault(chart, -1)

    def hide(self, chart: str) -> None:
        with self._changed:
            self._drawn.pop(chart, None)
            self._changed.notify_all()

    def drawn(self, chart: str, frame: int) -> None:
        with self._changed:
            if chart in self._drawn:
                self._drawn[chart] = max(self._drawn[chart], int(frame))
                self._changed.notify_all()

    def wait(self, frame: int, timeout: float) -> bool:
        """True once every chart on show has drawn ``frame``; False if ``timeout`` seconds pass first."""
        with self._changed:
            return self._changed.wait_for(lambda: all(f >= frame for f in self._drawn.values()), timeout)
