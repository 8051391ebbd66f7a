"""Rendering: an ``Analysis`` becomes JSON, figures, equations, page data, HTML and PDF.

Never opens an input: the bytes a PDF embeds are handed to ``pdf.pdf``. Rooms:

- ``results``: the JSON results of SPEC.md
- ``format``: numbers for people; ``catalogue``: messages, templates, the Jinja environment
- ``latex`` (the report's equations) → ``equations`` (ziamath SVG; in the PDF, glyphs as
  text) → ``eqcache`` (their SVG on disk); ``layout``: eliding many faces
- ``plots`` (figures with the catalogue's words) → ``figures`` (matplotlib) → ``figure_svg``
  → ``svg`` (drawings as ``data:`` images); ``fonts``; ``quiet``: libraries kept off stderr
- ``wording``: sentences that depend on the result (verdicts, the model's name)
- ``context``: the typed page data the templates read; ``worksheet`` and ``classroom``:
  the page data of the worksheets and of the class overview; ``card``: the notebook card
- ``html``, ``pdf``: the documents; ``editions``: report, student or teacher edition
- ``preload``: imports the drawing libraries (a batch's forkserver imports it)

Nothing is imported here, so ``import reportgen.render.results`` stays light.
"""
