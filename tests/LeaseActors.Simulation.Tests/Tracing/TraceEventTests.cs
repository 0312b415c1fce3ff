using System.Text;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests.Tracing;

public sealed class TraceEventTests
{
    private enum Color { Red }

    [Fact]
    public void Fields_are_written_in_order_with_their_canonical_json_values()
    {
        var trace = new RunTrace(() => TimeSpan.FromMilliseconds(1.5));
        trace.Record(new TraceEvent("kinds",
            ("null", null), ("s", "x\"y"), ("b", true), ("i", -1), ("l", long.MaxValue), ("u", ulong.MaxValue),
            ("d", 0.5), ("t", TimeSpan.FromSeconds(2)), ("e", Color.Red), ("seq", new[] { 1, 2 }),
            ("at", new DateTimeOffset(2019, 8, 24, 0, 11, 24, TimeSpan.Zero))));

        Assert.Equal(
            "{\"i\":0,\"us\":1500,\"kind\":\"kinds\",\"null\":null,\"s\":\"x\\u0022y\",\"b\":true,\"i\":-1," +
            "\"l\":9223372036854775807,\"u\":18446744073709551615,\"d\":0.5,\"t\":2000000,\"e\":\"Red\",\"seq\":[1,2]," +
            "\"at\":\"08/24/2019 00:11:24 \\u002B00:00\"}\n", // IFormattable, invariant culture; the encoder escapes +
            Encoding.UTF8.GetString(trace.ToCanonicalBytes()));
    }

    [Fact]
    public void The_indexer_finds_a_field_by_name_or_gives_null()
    {
        var e = new TraceEvent("k", ("a", 1), ("b", "two"));

        Assert.Equal(1, e["a"]);
        Assert.Equal("two", e["b"]);
        Assert.Null(e["c"]);
    }

    [Fact]
    public void ToString_writes_the_kind_then_name_value_pairs()
    {
        Assert.Equal("got from=s1 n=3", new TraceEvent("got", ("from", "s1"), ("n", 3)).ToString());
    }

    [Fact]
    public void ToString_of_an_event_without_fields_is_just_its_kind()
    {
        // Regression: it used to end with a space ("opened "), which made trace lines awkward to compare.
        Assert.Equal("opened", new TraceEvent("opened").ToString());
    }

    [Fact]
    public void An_empty_kind_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new TraceEvent(""));
    }
}
