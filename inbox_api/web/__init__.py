"""The staff web page and the demo brand page, served by the inbox API."""
