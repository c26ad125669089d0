"""Files -> Articles: `sources` (readers, by file kind), `pages` (cleaning scraped pages),
`articles` (the Article record), `dates` and `urls` (normalising what the records say)."""
