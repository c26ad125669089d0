"""The tantivy engine (Rust, through tantivy-py): the only package that imports tantivy.

Modules in the order a document, then a query, goes through them: schema (fields),
documents (Article -> tantivy JSON with carinews's terms and positions), stored (the
compressed stored article and its search metadata), writer (batches prepared in forked
workers, one commit each), compile (plan -> tantivy queries), proximity (unordered
proximity of three or more terms), search (rank, count, sort, facets), engine (the Engine
object and the index's lifecycle), build_dictionary (the zstd dictionary in data/).
"""
