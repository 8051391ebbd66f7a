"""Rendering: an ``Analysis`` becomes JSON, figures, equations, page data, HTML and PDF.

Never opens an input: a PDF carries the bytes the reader kept (``RollLog.stored``). Rooms:

- ``formats``: one module a format (``json``, ``html``, ``pdf``) and the registry
  ``FORMATS``; ``base``: the ``Document`` a format exports and the ``Format`` it declares
- ``pages``: the typed page data the templates read, a section a dataclass (``report``
  with ``lesson``, ``inference``, ``groups``; ``worksheet``; ``classroom``)
- ``words``: a section's words, a typed view of the message catalogue; ``catalogue``:
  the catalogues, templates and the one Jinja environment; ``numbers``: numbers for people
- ``wording``: sentences that word what the analysis decided (verdicts, the model's name)
- ``latex`` (the report's equations) → ``equations`` (ziamath SVG; in the PDF, glyphs as
  text) → ``eqcache`` (their SVG on disk); ``layout``: eliding many faces
- ``plots`` (figures with the catalogue's words) → ``figures`` (matplotlib) → ``svg``
  (a figure as SVG, drawings as ``data:`` images); ``fonts``; ``quiet``: libraries kept
  off stderr; ``dates``: when a document was made
- ``card``: the notebook card; ``preload``: the drawing libraries, for a forkserver

Nothing is imported here, so ``import reportgen.render.formats.json`` stays light.
"""
