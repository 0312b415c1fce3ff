using LeaseActors.Processes.Internal;

namespace LeaseActors.Tests.Processes;

public sealed class FdTableTests
{
    [Fact]
    public void Entries_are_walked_in_fd_order_whatever_order_they_were_set_in()
    {
        var table = new FdTable<string> { [5] = "five", [0] = "zero", [2] = "two" };

        Assert.Equal([(0, "zero"), (2, "two"), (5, "five")], table.Select(kv => (kv.Key, kv.Value)));
        Assert.Equal(["zero", "two", "five"], table.Values);
    }

    [Fact]
    public void A_removed_fd_is_free_again_and_reading_it_fails()
    {
        var table = new FdTable<string> { [0] = "a", [1] = "b" };

        Assert.True(table.Remove(0));
        Assert.False(table.Remove(0));
        Assert.False(table.ContainsKey(0));
        Assert.False(table.TryGetValue(0, out _));
        Assert.Throws<KeyNotFoundException>(() => table[0]);
        Assert.Equal("b", table[1]);
    }

    [Fact]
    public void Numbers_past_the_end_or_negative_are_not_open_and_setting_past_the_end_grows_the_table()
    {
        var table = new FdTable<string>();

        Assert.False(table.ContainsKey(-1));
        Assert.False(table.ContainsKey(1000));
        table[1000] = "far";
        Assert.Equal("far", table[1000]);
        Assert.Single(table);
        table.Clear();
        Assert.Empty(table);
        Assert.Throws<ArgumentOutOfRangeException>(() => table[-1] = "x");
    }
}
