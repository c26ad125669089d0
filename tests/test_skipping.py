"""skipping.skip_to lands where Whoosh's own skip_to lands, for every term and target."""

from whoosh.codec.whoosh3 import W3LeafMatcher

from carinews.engines.whoosh import skipping


def _landings(reader, field, term, targets):
    matcher = reader.postings(field, term)
    while type(matcher) is not W3LeafMatcher:      # deleted documents are filtered around it
        matcher = matcher.child
    out = []
    for target in targets:
        if not matcher.is_active():
            break
        matcher.skip_to(target)
        out.append((matcher.id(), matcher.weight()) if matcher.is_active() else None)
    return out


def test_same_landings_as_whoosh(segmented_sample):
    reader = segmented_sample.searcher().reader()
    cases = 0
    many_blocks = 0
    for sub in reader.leaf_readers():
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
                    skipping.uninstall()
                    expected = _landings(sub_reader, field, term, targets)
                    skipping.install()
                    assert _landings(sub_reader, field, term, targets) == expected, (field, term)
                    cases += 1
    assert cases > 5000 and many_blocks > 20
    skipping.install()
