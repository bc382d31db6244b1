"""What the chaos scripts (chaos.py, cluster-chaos.py) share: the URLs they give the service."""


def chaos_urls(base, count, key):
    """`count` URLs of the fault server at `base`: 90% articles, 5% permanent 404s, 5% flaky (two 503s,
    then a page; `key` keeps their counters apart between runs). Returns (urls, expected in out/ or the
    articles table, expected failed)."""
    urls, expect_out, expect_failed = [], set(), set()
    for i in range(count):
        r = i % 20
        if r == 7:
            u = "%s/status/404?n=%d" % (base, i)
            expect_failed.add(u)
        elif r == 13:
            u = "%s/flaky?key=%s-%d&fail=2&status=503" % (base, key, i)
            expect_out.add(u)
        else:
            u = "%s/article/%d" % (base, i)
            expect_out.add(u)
        urls.append(u)
    return urls, expect_out, expect_failed
