"""skipping: SkippingLeafMatcher lands where Whoosh's own skip_to lands, for every term and
target, and only carinews's searchers use it."""

from whoosh.codec.whoosh3 import W3LeafMatcher

from carinews.engines.whoosh import skipping


def _landings(reader, field, term, targets, fast: bool):
    matcher = reader.postings(field, term)
    while not isinstance(matcher, W3LeafMatcher):    # deleted documents are filtered around it
        matcher = matcher.child
    assert type(matcher) is (skipping.SkippingLeafMatcher if fast else W3LeafMatcher)
    out = []
    for target in targets:
        if not matcher.is_active():
            break
        matcher.skip_to(target)
        out.append((matcher.id(), matcher.weight()) if matcher.is_active() else None)
    return out


def test_same_landings_as_whoosh(segmented_sample):
    reader = segmented_sample.searcher().reader()
    plain_readers = [sub for sub, _ in segmented_sample._index.searcher().reader().leaf_readers()]
    cases = 0
    many_blocks = 0
    for sub, plain_reader in zip(reader.leaf_readers(), plain_readers):
        sub_reader = sub[0]
        count = sub_reader.doc_count_all()
        for field in ("body", "body_exact", "title"):
            for term in sub_reader.lexicon(field):
                frequency = sub_reader.doc_frequency(field, term)
                if frequency < 2:
                    continue
                many_blocks += frequency > 128
                for step in (1, 5, 40):
                    targets = list(range(0, count + 5, step))
                    expected = _landings(plain_reader, field, term, targets, False)
                    assert _landings(sub_reader, field, term, targets, True) == expected, (field, term)
                    cases += 1
    assert cases > 5000 and many_blocks > 20
    assert W3LeafMatcher.skip_to is not skipping.SkippingLeafMatcher.skip_to   # Whoosh unpatched


def test_counting_reads_skipping_matchers_by_block(segmented_sample, monkeypatch):
    """docsets' block reader recognises the skipping matcher (no slow all_ids fallback)."""
    from carinews.engines.whoosh.docsets import count_matches
    from carinews.engines.whoosh.compile import WhooshCompiler
    from carinews.query.parse import parse_query

    def refuse(self):
        raise AssertionError("fell back to all_ids")

    monkeypatch.setattr(skipping.SkippingLeafMatcher, "all_ids", refuse)
    query = WhooshCompiler().compile(parse_query("presiden").query)
    assert count_matches(segmented_sample.searcher(), query) == 36
