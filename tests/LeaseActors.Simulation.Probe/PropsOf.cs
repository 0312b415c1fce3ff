using Akka.Actor;

namespace LeaseActors.Simulation.Probe;

/// <summary>
/// Props from a plain factory delegate. <c>Props.Create(() =&gt; new T(...))</c> takes an expression tree and
/// evaluates its arguments at every actor creation, which dominated the cost of a probe run (51 actors).
/// </summary>
internal static class PropsOf
{
    public static Props Create<T>(Func<T> factory) where T : ActorBase => Props.CreateBy(new FactoryProducer<T>(factory));

    private sealed class FactoryProducer<T>(Func<T> factory) : IIndirectActorProducer where T : ActorBase
    {
        public Type ActorType => typeof(T);

        public ActorBase Produce() => factory();

        public void Release(ActorBase actor) { }
    }
}
