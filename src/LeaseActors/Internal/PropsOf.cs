using Akka.Actor;

namespace LeaseActors.Internal;

/// <summary>
/// Props from a plain factory delegate. <c>Props.Create(() =&gt; new T(...))</c> takes an expression tree and
/// evaluates its arguments by compiling them at every actor creation, which dominated the cost of a simulated
/// run (a kernel run creates about ten actors); a delegate costs a call.
/// </summary>
internal static class PropsOf
{
    public static Props Create<T>(Func<T> factory) where T : ActorBase => Props.CreateBy(new FactoryProducer<T>(factory));

    private sealed class FactoryProducer<T>(Func<T> factory) : IIndirectActorProducer where T : ActorBase
    {
        public Type ActorType => typeof(T);

        public ActorBase Produce() => factory();

        public void Release(ActorBase actor)
        {
            // Nothing to release: the actor owns no external resources.
        }
    }
}
