using System.Collections.Concurrent;
using LeaseActors.Campaigns;

namespace LeaseActors.Cluster.Campaigns.Internal;

/// <summary>
/// What the coordinator actor hands to the thread that called <see cref="ClusterCampaign.Run"/>: accepted results (with
/// the node that made each), messages for the user, and at the end the report or the failure. The caller's thread takes
/// them one at a time, so its callbacks run one at a time and never on Akka's dispatcher.
/// </summary>
internal sealed class CampaignFeed : IDisposable
{
    public readonly record struct Item(CampaignResult? Result, string? Node, string? Message);

    private readonly BlockingCollection<Item> _items = new();
    private readonly object _gate = new();
    private bool _closed;

    public ClusterCampaignReport? Report { get; private set; }

    public Exception? Failure { get; private set; }

    public void Add(CampaignResult result, string node) => Put(new Item(result, node, null));

    public void Say(string message) => Put(new Item(null, null, message));

    public void Complete(ClusterCampaignReport report) => Close(report, null);

    public void Fail(Exception failure) => Close(null, failure);

    /// <summary>Every item until the campaign ends; then <see cref="Report"/> or <see cref="Failure"/> is set.</summary>
    public IEnumerable<Item> Take(CancellationToken cancel) => _items.GetConsumingEnumerable(cancel);

    private void Put(Item item)
    {
        lock (_gate)
        {
            if (!_closed) _items.Add(item);
        }
    }

    private void Close(ClusterCampaignReport? report, Exception? failure)
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            Report = report;
            Failure = failure;
            _items.CompleteAdding();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _closed = true;
                _items.CompleteAdding();
            }
        }
        _items.Dispose();
    }
}
