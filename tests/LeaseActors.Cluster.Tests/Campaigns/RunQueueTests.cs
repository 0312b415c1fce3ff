using LeaseActors.Cluster.Campaigns.Internal;

namespace LeaseActors.Cluster.Tests.Campaigns;

public sealed class RunQueueTests
{
    [Fact]
    public void Ranges_are_handed_out_in_order_one_index_at_a_time()
    {
        var queue = new RunQueue();
        queue.Add(10, 13);
        queue.Add(20, 22);
        var taken = new List<long?> { queue.Take(), queue.Take(), queue.Take(), queue.Take(), queue.Take() };
        Assert.Equal([10L, 11L, 12L, 20L, 21L], taken);
    }

    [Fact]
    public void Completing_the_queue_drops_the_indices_not_started()
    {
        var queue = new RunQueue();
        queue.Add(10, 13);
        Assert.Equal(10L, queue.Take());
        queue.Complete();
        Assert.Equal([], Drain(queue));
    }

    [Fact]
    public async Task A_thread_waiting_for_an_index_gets_one_added_later_and_null_once_completed()
    {
        var queue = new RunQueue();
        var first = Task.Run(queue.Take);
        queue.Add(5, 6);
        Assert.Equal(5L, await first.WaitAsync(TimeSpan.FromSeconds(10)));

        var second = Task.Run(queue.Take);
        queue.Complete();
        Assert.Null(await second.WaitAsync(TimeSpan.FromSeconds(10)));
        queue.Add(7, 8);
        Assert.Null(queue.Take());
    }

    private static List<long> Drain(RunQueue queue)
    {
        var taken = new List<long>();
        while (queue.Take() is { } index) taken.Add(index);
        return taken;
    }
}
