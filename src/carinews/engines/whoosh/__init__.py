"""The Whoosh engine (embedded, pure Python): the only package that imports whoosh."""
