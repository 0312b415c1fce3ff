using Akka.Dispatch;
using LeaseActors.Simulation.Dispatch;

namespace LeaseActors.Simulation.Tests.Dispatch;

/// <summary>
/// The ready set orders runnables by key (creation order in the run), whatever order they arrive in: that is
/// what makes "the i-th ready mailbox" the same actor in every process.
/// </summary>
public sealed class ReadySetTests
{
    private static readonly int[] Keys = [5, 1, 9, 3, 70, 130, 64, 0, 63, 200];

    [Fact]
    public void Adding_the_same_keys_in_different_orders_gives_the_same_KeyAt_order()
    {
        var random = new DeterministicRandom(11);
        for (var round = 0; round < 50; round++)
        {
            var keys = Keys.ToArray();
            for (var i = keys.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (keys[i], keys[j]) = (keys[j], keys[i]);
            }
            var set = new ReadySet();
            foreach (var key in keys) set.Add(key, new Named(key));

            Assert.Equal(Keys.Order(), Enumerable.Range(0, set.Count).Select(set.KeyAt));
        }
    }

    [Fact]
    public void Take_and_KeyAt_stay_consistent_across_growth_beyond_64_keys()
    {
        var set = new ReadySet();
        var expected = new SortedSet<int>();
        for (var i = 0; i < 300; i++)
        {
            var key = (int)((long)i * 137 % 300); // a permutation of 0..299, crossing 64, 128 and 256 on the way
            set.Add(key, new Named(key));
            expected.Add(key);
            if (i % 3 == 2)
            {
                var index = i % expected.Count;
                var taken = set.KeyAt(index);
                Assert.Equal(expected.ElementAt(index), taken);
                Assert.Equal(taken, ((Named)set.Take(taken)).Key);
                expected.Remove(taken);
            }
            Assert.Equal(expected.Count, set.Count);
        }

        Assert.Equal(expected, Enumerable.Range(0, set.Count).Select(set.KeyAt));
    }

    [Fact]
    public void A_key_far_beyond_the_capacity_keeps_the_keys_already_ready()
    {
        var set = new ReadySet();
        set.Add(3, new Named(3));
        set.Add(10_000, new Named(10_000));
        set.Add(40, new Named(40));

        Assert.Equal([3, 40, 10_000], Enumerable.Range(0, set.Count).Select(set.KeyAt));
        Assert.Equal(10_000, ((Named)set.Take(10_000)).Key);
        Assert.Equal([3, 40], Enumerable.Range(0, set.Count).Select(set.KeyAt));
    }

    [Fact]
    public void Taking_the_first_ready_key_repeatedly_yields_keys_in_ascending_order()
    {
        var set = new ReadySet();
        foreach (var key in Keys) set.Add(key, new Named(key));

        var order = new List<int>();
        while (set.Count > 0) order.Add(((Named)set.Take(set.KeyAt(0))).Key);

        Assert.Equal(Keys.Order(), order);
    }

    [Fact]
    public void A_key_can_be_added_again_once_taken()
    {
        var set = new ReadySet();
        set.Add(7, new Named(7));
        set.Take(7);
        set.Add(7, new Named(7));

        Assert.Equal(1, set.Count);
        Assert.Equal(7, set.KeyAt(0));
    }

    [Fact]
    public void Adding_a_key_that_is_already_ready_is_reported_as_an_engine_bug()
    {
        var set = new ReadySet();
        set.Add(7, new Named(7));

        var exception = Assert.Throws<InvalidOperationException>(() => set.Add(7, new Named(7)));
        Assert.Contains("key 7 is already ready", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Taking_a_key_that_is_not_ready_is_reported_as_an_engine_bug()
    {
        var set = new ReadySet();

        var exception = Assert.Throws<InvalidOperationException>(() => set.Take(3));
        Assert.Contains("key 3 is not ready", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyAt_outside_the_ready_range_throws()
    {
        var set = new ReadySet();
        set.Add(1, new Named(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => set.KeyAt(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.KeyAt(-1));
    }

    [Fact]
    public void Clear_empties_the_set_so_every_key_can_be_added_again()
    {
        var set = new ReadySet();
        foreach (var key in Keys) set.Add(key, new Named(key));

        set.Clear();
        foreach (var key in Keys) set.Add(key, new Named(key));

        Assert.Equal(Keys.Length, set.Count);
        Assert.Equal(Keys.Order(), Enumerable.Range(0, set.Count).Select(set.KeyAt));
    }

    private sealed class Named(int key) : IRunnable
    {
        public int Key { get; } = key;

        public void Run() { }

        public void Execute() { } // IThreadPoolWorkItem, which IRunnable extends
    }
}
