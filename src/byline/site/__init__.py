"""The web layer: thin views over ``pages`` (which builds each page's data once, for the HTML
templates and the JSON API alike), templates, static files and auth pages."""
