"""The service for uploaded files: storage, type checks, uploads, versions, thumbnails.

Modules, one job each:
  store      where the bytes live: a local folder in MediaWiki's hashed layout, or the database
  sniff      what a file really is (by content), and the refusals (polyglots, unsafe SVG, bombs)
  reads      the file rows: one file, its history, who uses it, the lists, facts for the renderer
  upload     an upload (or a new version, or a revert) landing whole or not at all
  deletion   deleting a file (versions archived with its page) and undeleting it
  thumbs     thumbnails made on first request, once, cached on disk

The bytes and the rows agree at every instant: bytes are written under a staging key before the
database transaction, the rows name the key that holds them, and the bytes move to their
MediaWiki-layout key only after the rows that point at them committed (see `upload`).
Import the submodules (`from wiki.files import upload`); this package imports nothing, so
wiki.site can read file facts without a cycle through wiki.pages.
"""
