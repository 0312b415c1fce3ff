using Akka.Actor;
using Akka.Cluster;
using LeaseActors.Campaigns;
using LeaseActors.Simulation;
using LeaseActors.Topologies;
using static LeaseActors.Cluster.Campaigns.CampaignCoordinator;
using static LeaseActors.Cluster.Campaigns.CampaignWorker;

namespace LeaseActors.Cluster.Campaigns.Internal;

/// <summary>
/// A campaign worker (<see cref="CampaignWorker"/>). Owns the campaign it was sent, the ranges it holds with the runs
/// left in each, the results lines not yet sent, and the outcome it reports when its part ends. Accepts the
/// <see cref="CampaignWorker"/> messages, Akka.Cluster's membership events (to find the coordinator and notice it
/// leaving), and its runner thread's reports; sends the <see cref="CampaignCoordinator"/> messages.
/// </summary>
/// <remarks>
/// Runs are made by one runner thread of its own that parses the campaign, checks the fingerprint, then runs
/// <see cref="CampaignRunner"/> with <see cref="WorkerOptions.Parallel"/> threads taking indices from a
/// <see cref="RunQueue"/>: the actor puts ranges in as they come, the threads block there until the campaign is over.
/// </remarks>
internal sealed class WorkerActor : ReceiveActor, IWithTimers
{
    private sealed record Prepared(string? Refusal);

    private sealed record RunFinished(long Index, string Line);

    private sealed record RunnerStopped(string? Error);

    private sealed record Flush
    {
        public static Flush Instance { get; } = new();
    }

    private sealed record RegisterAgain
    {
        public static RegisterAgain Instance { get; } = new();
    }

    private sealed class Held(long from, long to)
    {
        public long From { get; } = from;
        public long To { get; } = to;
        public long Left { get; set; } = to - from;
    }

    private readonly WorkerOptions _options;
    private readonly TaskCompletionSource<WorkerOutcome> _outcome;
    private readonly Action<string>? _say;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly RunQueue _queue = new();
    private readonly List<Held> _held = [];
    private readonly List<string> _batch = [];
    private int _batchChars;
    private Address? _coordinatorNode;
    private IActorRef? _coordinator;
    private CampaignSpec? _campaign;
    private long _runs;
    private bool _over;

    public WorkerActor(WorkerOptions options, TaskCompletionSource<WorkerOutcome> outcome, Action<string>? say)
    {
        _options = options;
        _outcome = outcome;
        _say = say;
        Receive<ClusterEvent.MemberUp>(m => OnMemberUp(m.Member));
        Receive<ClusterEvent.MemberRemoved>(m => OnMemberRemoved(m.Member));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        Receive<RegisterAgain>(_ => Register());
        Receive<RunCampaign>(OnRunCampaign);
        Receive<Prepared>(m => OnPrepared(m.Refusal));
        Receive<RunRange>(m => OnRunRange(m.From, m.To));
        Receive<RunFinished>(m => OnRunFinished(m.Index, m.Line));
        Receive<Flush>(_ => SendBatch());
        Receive<StopCampaign>(m => OnStop(m.Reason));
        Receive<RunnerStopped>(m => OnRunnerStopped(m.Error));
        Receive<Terminated>(m =>
        {
            if (m.ActorRef.Equals(_coordinator)) End(WorkerEnd.Lost, "the coordinator stopped before the campaign finished");
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _queue.Complete();
        End(WorkerEnd.Lost, _campaign is null
            ? "no campaign came before this node shut down (is a coordinator listening at the address joined?)"
            : "this node shut down before the campaign finished");
    }

    private void OnMemberUp(Member member)
    {
        if (_coordinatorNode is not null || !member.HasRole(CampaignCluster.CoordinatorRole)) return;
        _coordinatorNode = member.Address;
        _say?.Invoke($"joined the cluster of the coordinator at {CampaignCluster.Endpoint(member.Address)} as {CampaignCluster.Endpoint(_cluster.SelfAddress)}");
        Register();
        Timers.StartPeriodicTimer(nameof(RegisterAgain), RegisterAgain.Instance, TimeSpan.FromSeconds(1));
    }

    private void OnMemberRemoved(Member member)
    {
        // A node that leaves sees every other member removed as its own view of the cluster is cleared: that is this
        // node leaving, not the coordinator.
        if (_cluster.IsTerminated || _cluster.SelfMember.Status is not (MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining))
            End(WorkerEnd.Lost, "this node left the cluster before the campaign finished");
        else if (member.Address.Equals(_coordinatorNode)) End(WorkerEnd.Lost, "the coordinator left before the campaign finished");
    }

    private void Register()
    {
        if (_campaign is not null || _coordinatorNode is null) return;
        Context.ActorSelection(new RootActorPath(_coordinatorNode) / "user" / CampaignCoordinator.Name)
            .Tell(new Register(_options.Parallel, _options.Prefetch));
    }

    private void OnRunCampaign(RunCampaign message)
    {
        if (_campaign is not null) return;
        _campaign = message.Spec;
        _coordinator = Sender;
        Context.Watch(Sender);
        Timers.Cancel(nameof(RegisterAgain));
        var spec = message.Spec;
        _say?.Invoke($"campaign: {spec.TopologyPath}{(spec.ChaosPath is { } plan ? " with " + plan : "")}{(spec.Policy is { } policy ? " under " + policy : "")}, {spec.Runs} runs, seed {spec.Seed}");
        StartRunner(message.Spec, message.Fingerprint);
    }

    /// <summary>The runner thread: parse, compare fingerprints, then run whatever the queue hands out until it is completed.</summary>
    private void StartRunner(CampaignSpec spec, string fingerprint)
    {
        var self = Self;
        var queue = _queue;
        var options = _options;
        var thread = new Thread(() =>
        {
            ActorSystem? simulation = null;
            try
            {
                CampaignOptions campaign;
                try
                {
                    campaign = spec.Parse(options.Parallel);
                }
                catch (Exception ex) when (ex is TopologyException or ArgumentException)
                {
                    self.Tell(new Prepared("it cannot parse the campaign: " + ex.Message));
                    return;
                }
                simulation = SimulationSetup.CreateSystem("leaseactors-campaign-worker", Quiet.Simulation);
                using (var driver = new SimulationDriver(simulation))
                {
                    var mine = CampaignFingerprint.Of(driver, campaign);
                    if (mine != fingerprint)
                    {
                        self.Tell(new Prepared($"its parse of the campaign gives other runs than the coordinator's (fingerprint {mine[..12]} here, {fingerprint[..12]} on the coordinator): is it another build of leaseactors?"));
                        return;
                    }
                }
                self.Tell(new Prepared(null));
                CampaignRunner.Run(simulation, campaign, () =>
                {
                    if (queue.Take() is not { } index) return null;
                    options.BeforeRun?.Invoke(index);
                    return index;
                }, run => self.Tell(new RunFinished(run.Index, run.Formatted!)), CampaignResultsFile.Line);
                self.Tell(new RunnerStopped(null));
            }
#pragma warning disable CA1031 // whatever ends the runner thread is reported to the actor, which reports it to the coordinator.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                self.Tell(new RunnerStopped(ex.Message));
            }
            finally
            {
                simulation?.Terminate().Wait(TimeSpan.FromSeconds(10));
            }
        })
        { IsBackground = true, Name = "campaign-worker-runner" };
        thread.Start();
    }

    private void OnPrepared(string? refusal)
    {
        if (_over) return;
        if (refusal is not null)
        {
            ToCoordinator(new CampaignRefused(refusal));
            _queue.Complete();
            End(WorkerEnd.Refused, refusal);
            return;
        }
        ToCoordinator(new CampaignAccepted());
        _say?.Invoke($"parsed it as the coordinator did; making runs, {_options.Parallel} at once");
        for (var i = 0; i < _options.Prefetch; i++) ToCoordinator(new RequestRange());
    }

    private void OnRunRange(long from, long to)
    {
        if (_over) return;
        _held.Add(new Held(from, to));
        _queue.Add(from, to);
    }

    private void OnRunFinished(long index, string line)
    {
        _runs++;
        if (_over) return;
        _batch.Add(line);
        _batchChars += line.Length;
        if (_batch.Count >= _options.BatchLines || _batchChars >= _options.BatchChars) SendBatch();
        else if (!Timers.IsTimerActive(nameof(Flush))) Timers.StartSingleTimer(nameof(Flush), Flush.Instance, _options.FlushInterval);
        var held = _held.Find(h => index >= h.From && index < h.To);
        if (held is null) return;
        if (--held.Left > 0) return;
        _held.Remove(held);
        SendBatch();
        ToCoordinator(new RequestRange());
    }

    private void SendBatch()
    {
        Timers.Cancel(nameof(Flush));
        if (_batch.Count == 0) return;
        ToCoordinator(new RunsFinished([.. _batch]));
        _batch.Clear();
        _batchChars = 0;
    }

    private void OnStop(string? reason)
    {
        if (_over) return;
        SendBatch();
        _queue.Complete();
        End(reason is null ? WorkerEnd.Finished : WorkerEnd.Stopped, reason);
    }

    private void OnRunnerStopped(string? error)
    {
        if (error is null || _over) return;
        SendBatch();
        ToCoordinator(new WorkerFailed(error));
        _queue.Complete();
        End(WorkerEnd.Failed, error);
    }

    private void ToCoordinator(object message) => _coordinator?.Tell(message);

    private void End(WorkerEnd end, string? reason)
    {
        _over = true;
        _queue.Complete();
        _outcome.TrySetResult(new WorkerOutcome(end, reason, _runs, _campaign));
    }
}
