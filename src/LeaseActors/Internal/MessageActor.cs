using Akka.Actor;

namespace LeaseActors.Internal;

/// <summary>
/// The base of the emulated kernel's actors: handlers registered per message type, as with Akka's
/// <see cref="ReceiveActor"/>, dispatched by a dictionary lookup on the message's exact type.
/// </summary>
/// <remarks>
/// A kernel run creates its actors anew (processes, descriptions, handlers), and Akka's <c>ReceiveActor</c> builds
/// and matches a compiled handler chain for every instance (<c>MatchBuilder</c>, <c>MakeGenericType</c>): about a fifth
/// of a campaign run's allocations. The kernel's messages are sealed records handled by exact type, which a dictionary
/// serves; a message whose type has no handler falls back to the first handler whose type it is assignable to, then
/// to <c>Unhandled</c>.
/// </remarks>
internal abstract class MessageActor : UntypedActor
{
    private readonly Dictionary<Type, Action<object>> _handlers = [];

    /// <summary>Handles messages of type <typeparamref name="T"/> with <paramref name="handler"/> (the last registration for a type wins).</summary>
    protected void Receive<T>(Action<T> handler) => _handlers[typeof(T)] = message => handler((T)message);

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        if (_handlers.TryGetValue(message.GetType(), out var handler))
        {
            handler(message);
            return;
        }
        foreach (var (type, fallback) in _handlers)
        {
            if (!type.IsInstanceOfType(message)) continue;
            fallback(message);
            return;
        }
        Unhandled(message);
    }
}
