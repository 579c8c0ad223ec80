"""The page's tabs, one module each. Every tab is a class built with the page's ``PageContext``:

* ``layout()`` (called inside ``gr.Tabs()``) creates its components;
* its handlers are plain methods, callable without a browser;
* ``wire()`` registers them, each through ``ctx.wire.on(trigger, handler, Role.X, …)``, the one
  place where the role each handler needs is checked on the server (``ui/access.py``).

``ui/app.py`` builds them in order and calls ``layout`` then ``wire``.
"""
