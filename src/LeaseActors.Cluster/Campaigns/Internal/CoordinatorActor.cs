using System.Collections;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using LeaseActors.Campaigns;
using static LeaseActors.Cluster.Campaigns.CampaignCoordinator;
using static LeaseActors.Cluster.Campaigns.CampaignWorker;

namespace LeaseActors.Cluster.Campaigns.Internal;

/// <summary>
/// The campaign coordinator (<see cref="CampaignCoordinator"/>). Owns which runs are done (one bit per index), the ranges
/// not yet handed out, the workers and the ranges each holds, and the counts of the report. Accepts the
/// <see cref="CampaignCoordinator"/> messages, DeathWatch's <see cref="Terminated"/> for workers, and Akka.Cluster's
/// reachability and removal events; sends the <see cref="CampaignWorker"/> messages, and passes every newly received
/// result to the <see cref="CampaignFeed"/>.
/// </summary>
/// <remarks>
/// A result counts once, whoever made it: a line for a run already received is ignored, so a worker that was given up on
/// (unreachable) and comes back, or that finishes a run after its range was handed to another, changes nothing. A lost
/// worker's unfinished runs go back to the front of the queue, split into the ranges of runs not yet received.
/// </remarks>
internal sealed partial class CoordinatorActor : ReceiveActor
{
    private readonly CampaignSpec _spec;
    private readonly string _fingerprint;
    private readonly CampaignOptions _campaign;
    private readonly string _policy;
    private readonly CoordinatorOptions _options;
    private readonly CampaignFeed _feed;
    private readonly BitArray _done;
    private readonly long _toDo;
    private readonly LinkedList<Range> _pending = new();
    private readonly List<Worker> _workers = [];
    private readonly Dictionary<long, string> _requeuedFrom = [];
    private readonly SortedDictionary<string, long> _runsByNode = new(StringComparer.Ordinal);
    private readonly List<LostWorker> _lost = [];
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan _waited;
    private long _received;
    private long _rerunElsewhere;
    private long _duplicates;
    private bool _granting;
    private bool _over;

    private readonly record struct Range(long From, long To);

    private sealed class Worker(IActorRef actor, string node, Address address, int parallel, int prefetch)
    {
        public IActorRef Actor { get; } = actor;
        public string Node { get; } = node;
        public Address Address { get; } = address;
        public int Parallel { get; } = parallel;
        public int Prefetch { get; } = prefetch;
        public bool Ready { get; set; }
        public bool Reachable { get; set; } = true;
        public int Waiting { get; set; }
        public List<Range> Held { get; } = [];
    }

    public CoordinatorActor(CampaignSpec spec, string fingerprint, CampaignOptions campaign, CoordinatorOptions options, Func<long, bool>? skip, CampaignFeed feed)
    {
        _spec = spec;
        _fingerprint = fingerprint;
        _campaign = campaign;
        _policy = campaign.Policy!;
        _options = options;
        _feed = feed;
        _done = new BitArray((int)campaign.Runs);
        for (var i = 0L; i < campaign.Runs; i++)
            if (skip?.Invoke(i) == true) _done[(int)i] = true;
        foreach (var range in Undone(0, campaign.Runs)) _pending.AddLast(range);
        _toDo = _pending.Sum(r => r.To - r.From);

        Receive<Register>(OnRegister);
        Receive<CampaignAccepted>(_ => OnAccepted());
        Receive<CampaignRefused>(m => OnRefused(m.Reason));
        Receive<RequestRange>(_ => OnRequestRange());
        Receive<RunsFinished>(m => OnRunsFinished(m.Lines));
        Receive<WorkerFailed>(m => OnWorkerFailed(m.Reason));
        Receive<Terminated>(m => { if (Find(m.ActorRef) is { } w) Lose(w, "stopped", forget: true); });
        Receive<ClusterEvent.UnreachableMember>(m => { foreach (var w in At(m.Member.Address)) Lose(w, "unreachable", forget: false); });
        Receive<ClusterEvent.ReachableMember>(m => { foreach (var w in At(m.Member.Address)) Readmit(w); });
        Receive<ClusterEvent.MemberRemoved>(m => { foreach (var w in At(m.Member.Address)) Lose(w, "left the cluster", forget: true); });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
        if (_toDo == 0) Finish();
        else if (_options.MinWorkers > 0) _feed.Say($"waiting for {_options.MinWorkers} worker(s) to join before handing out runs");
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _feed.Fail(new ClusterCampaignException("the coordinator stopped before the campaign finished"));
    }

    private string SelfNode => CampaignCluster.Endpoint(_cluster.SelfAddress);

    private Address AddressOf(IActorRef actor) => actor.Path.Address.HasLocalScope ? _cluster.SelfAddress : actor.Path.Address;

    private Worker? Find(IActorRef actor) => _workers.Find(w => w.Actor.Equals(actor));

    private List<Worker> At(Address address) => _workers.FindAll(w => w.Address.Equals(address));

    private void OnRegister(Register register)
    {
        if (_over)
        {
            Sender.Tell(new StopCampaign(null));
            return;
        }
        if (Find(Sender) is null)
        {
            var address = AddressOf(Sender);
            _workers.Add(new Worker(Sender, CampaignCluster.Endpoint(address), address, register.Parallel, register.Prefetch));
            Context.Watch(Sender);
        }
        Sender.Tell(new RunCampaign(_spec, _fingerprint));
    }

    private void OnAccepted()
    {
        if (_over || Find(Sender) is not { } worker || worker.Ready) return;
        worker.Ready = true;
        var remote = _workers.Count(w => w.Ready && w.Reachable && w.Node != SelfNode);
        _feed.Say($"worker {worker.Node} joined ({worker.Parallel} at once){(worker.Node == SelfNode ? ", on the coordinator's node" : "")}; {remote} worker(s) on other nodes");
        Grant();
    }

    private void OnRefused(string reason)
    {
        var node = Find(Sender)?.Node ?? CampaignCluster.Endpoint(AddressOf(Sender));
        Abort(new ClusterCampaignException($"worker {node} cannot run this campaign: {reason}"));
    }

    private void OnWorkerFailed(string reason)
    {
        var node = Find(Sender)?.Node ?? CampaignCluster.Endpoint(AddressOf(Sender));
        Abort(new InvalidOperationException($"a campaign run failed on worker {node}: {reason}"));
    }

    private void OnRequestRange()
    {
        if (_over || Find(Sender) is not { Ready: true, Reachable: true } worker) return;
        worker.Waiting++;
        Grant();
    }

    private void OnRunsFinished(string[] lines)
    {
        if (_over) return;
        var node = Find(Sender)?.Node ?? CampaignCluster.Endpoint(AddressOf(Sender));
        foreach (var line in lines)
        {
            CampaignResult result;
            try
            {
                result = CampaignResultsFile.Read(line, _campaign, _policy);
            }
            catch (InvalidDataException ex)
            {
                Abort(new InvalidOperationException($"worker {node} sent a line that is not a run of this campaign: {ex.Message}"));
                return;
            }
            var index = (int)result.Run;
            if (_done[index])
            {
                _duplicates++;
                continue;
            }
            _done[index] = true;
            _received++;
            _runsByNode[node] = _runsByNode.GetValueOrDefault(node) + 1;
            if (_requeuedFrom.Remove(result.Run, out var lostNode) && lostNode != node) _rerunElsewhere++;
            _feed.Add(result, node);
        }
        if (Find(Sender) is { } worker) worker.Held.RemoveAll(r => !Undone(r.From, r.To).Any());
        if (_received == _toDo) Finish();
    }
}
