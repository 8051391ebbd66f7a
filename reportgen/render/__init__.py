"""Rendering: an ``Analysis`` becomes JSON, figures, equations, page data, HTML and PDF.

Never opens an input: the bytes a PDF embeds are handed to ``pdf.pdf``. Rooms:

- ``results``: the JSON results of SPEC.md
- ``format``: numbers for people; ``catalogue``: messages, templates, the Jinja environment
- ``latex`` (the report's equations) → ``equations`` (ziamath SVG); ``layout``: eliding many faces
- ``plots`` (figures with the catalogue's words) → ``figures`` (matplotlib) → ``svg``; ``fonts``
- ``wording``: sentences that depend on the result (verdicts, the model's name)
- ``context``: the typed page data the templates read
- ``html``, ``pdf``: the documents

Nothing is imported here, so ``import reportgen.render.results`` stays light.
"""
