using Akka.Actor;

namespace LeaseActors.Benchmarks.Workloads;

/// <summary>
/// A root that schedules many timers far in the future (past the run's horizon, so none ever fires) and then
/// creates a workload child: the workload's steps then run with that many timers pending in the virtual clock.
/// </summary>
internal static class FarFutureTimers
{
    /// <summary>How far ahead the first far-future timer is due; runs that use this set a shorter horizon.</summary>
    public static readonly TimeSpan DueAfter = TimeSpan.FromDays(30);

    /// <summary>The far-future timers' message; never delivered.</summary>
    public sealed record Nudge
    {
        public static Nudge Instance { get; } = new();
    }

    /// <summary>
    /// Schedules <paramref name="count"/> timers, due 1 ms apart from <see cref="DueAfter"/> on, with the plain
    /// scheduler API (no cancelable), then creates <paramref name="workload"/> as child <c>workload</c>.
    /// </summary>
    public static Props Props(int count, Props workload) => Akka.Actor.Props.Create(() => new Loader(count, workload));

    /// <summary>Owns nothing after its constructor; accepts no messages.</summary>
    private sealed class Loader : UntypedActor
    {
        public Loader(int count, Props workload)
        {
            var scheduler = Context.System.Scheduler;
            // AK1004 warns that such timers outlive the actor. Here that is the point: they must stay pending (and
            // never fire: they are past the horizon) while the workload runs, and the engine drops them with the run's
            // clock. IWithTimers would add a CancellationTokenSource and a dictionary entry per timer to every
            // measured run's set-up without changing what the clock holds.
#pragma warning disable AK1004
            for (var i = 0; i < count; i++)
                scheduler.ScheduleTellOnce(DueAfter + TimeSpan.FromMilliseconds(i), Self, Nudge.Instance, Self);
#pragma warning restore AK1004
            Context.ActorOf(workload, "workload");
        }

        protected override void OnReceive(object message) => Unhandled(message);
    }
}
