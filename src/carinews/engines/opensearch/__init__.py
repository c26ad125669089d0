"""The OpenSearch engine (a cluster of nodes, shards and replicas): the only package that
imports opensearch-py (`opensearchpy`).

carinews analyses every text in Python, exactly as for the embedded engines, and sends the
terms as whitespace-separated tokens (mapping.py), so a query finds the same articles on
every engine. Modules in the order a document and then a query pass through them:
mapping.py (index settings, field mapping, an article as a document), cluster.py
(connecting, health, errors naming the URL), lexicon.py (each field's index terms, for
bounded prefix/wildcard/fuzzy expansion), writer.py (bulk loading from forked workers),
compile.py (plan -> query DSL), search.py (rank, rescore, count, facet), engine.py (the
`Engine`: lifecycle of an aliased index, lookups).
"""
