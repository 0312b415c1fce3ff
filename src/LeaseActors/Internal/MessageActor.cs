using System.Collections.Concurrent;
using System.Reflection;
using Akka.Actor;

namespace LeaseActors.Internal;

/// <summary>
/// The base of the emulated kernel's actors: handlers registered per message type, as with Akka's
/// <see cref="ReceiveActor"/>, dispatched by a dictionary lookup on the message's exact type.
/// </summary>
/// <remarks>
/// <para>
/// A kernel run creates its actors anew (processes, descriptions, handlers), and Akka's <c>ReceiveActor</c> builds
/// and matches a compiled handler chain for every instance (<c>MatchBuilder</c>, <c>MakeGenericType</c>): about a fifth
/// of a campaign run's allocations. The kernel's messages are sealed records handled by exact type, which a dictionary
/// serves; a message whose type has no handler falls back to the first handler whose type it is assignable to, then
/// to <c>Unhandled</c>.
/// </para>
/// <para>
/// The handler table is shared by every instance of an actor class (a process kept about 3 KB of delegates and
/// dictionary per instance, 1.5 times Akka's own per-actor cost). The first instance's constructor builds the table:
/// a handler that is a method of the actor (a method group, or a lambda that captures only <c>this</c>) is kept as an
/// open delegate that takes the actor as an argument; any other handler as it is (a lambda that captures nothing is one
/// cached delegate). Later instances still run their constructors' registrations, which are checked against the
/// table: same message type, in the same order, and the same method on <c>this</c> or the very same delegate. An
/// instance that registers anything else (a lambda that captures a constructor argument is a new delegate each
/// time), or registers after its constructor, gets a table of its own, and so does every later instance of its
/// class; so sharing never changes which handler runs.
/// </para>
/// </remarks>
internal abstract class MessageActor : UntypedActor
{
    /// <summary>Per actor class: its shared table, or <see cref="HandlerTable.Unshared"/> once an instance did not match.</summary>
    private static readonly ConcurrentDictionary<Type, HandlerTable> Tables = new();

    private HandlerTable _table;

    /// <summary>While the constructor runs against a shared table: how many registrations matched it so far.</summary>
    private int _matched;

    private bool _sealed;

    /// <summary>Starts with the class's shared table if one exists, else a table of this instance's own.</summary>
    protected MessageActor()
    {
        _table = Tables.TryGetValue(GetType(), out var table)
            ? table.IsShared ? table : new HandlerTable(mayShare: false)
            : new HandlerTable(mayShare: true);
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> with <paramref name="handler"/> (the last registration for a type wins).</summary>
    protected void Receive<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_table.IsShared)
        {
            if (!_sealed && _table.Matches(_matched, typeof(T), handler, this))
            {
                _matched++;
                return;
            }
            Unshare();
        }
        _table.Add(typeof(T), handler, this);
    }

    /// <summary>Whether instances of <paramref name="actorType"/> share one handler table (for tests).</summary>
    internal static bool SharesHandlers(Type actorType) => Tables.TryGetValue(actorType, out var table) && table.IsShared;

    /// <summary>This instance differs from its class's shared table: it keeps what matched so far, and the class stops sharing.</summary>
    private void Unshare()
    {
        var shared = _table;
        _table = shared.Prefix(_matched);
        Tables.TryUpdate(GetType(), HandlerTable.Unshared, shared);
    }

    /// <summary>The constructor is done: keep a shared table only if this instance matched all of it; publish a first table that can be shared.</summary>
    private void Seal()
    {
        if (_sealed) return;
        _sealed = true;
        if (_table.IsShared)
        {
            if (_matched != _table.Count) Unshare();
            return;
        }
        if (_table.MayShare)
        {
            // Marked shared before it is published: another driver thread may take it from the dictionary at once.
            _table.IsShared = true;
            if (Tables.TryAdd(GetType(), _table))
            {
                _matched = _table.Count;
                return;
            }
            _table.IsShared = false;
        }
        _table.DropSequence();
    }

    /// <inheritdoc />
    public override void AroundPreStart()
    {
        Seal();
        base.AroundPreStart();
    }

    /// <inheritdoc />
    public override void AroundPostRestart(Exception cause, object message)
    {
        Seal();
        base.AroundPostRestart(cause, message);
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        if (!_sealed) Seal();
        if (_table.Handlers.TryGetValue(message.GetType(), out var handler))
        {
            handler.Invoke(this, message);
            return;
        }
        foreach (var (type, fallback) in _table.Handlers)
        {
            if (!type.IsInstanceOfType(message)) continue;
            fallback.Invoke(this, message);
            return;
        }
        Unhandled(message);
    }

    /// <summary>One actor class's handlers (shared, immutable once <see cref="IsShared"/>) or one instance's own.</summary>
    private sealed class HandlerTable(bool mayShare)
    {
        /// <summary>Stands for "instances of this class do not share": they build plain tables of their own.</summary>
        public static readonly HandlerTable Unshared = new(mayShare: false);

        /// <summary>The handler per message type, in first-registration order (the fallback scan's order).</summary>
        public Dictionary<Type, Handler> Handlers { get; } = [];

        /// <summary>
        /// Every registration in order (message type; the method for a handler on the actor, else the delegate), to
        /// check later instances against and to copy a prefix of; null when the table will never be shared.
        /// </summary>
        private List<(Type Type, MethodInfo? Method, Delegate? Shared, Handler Handler)>? _sequence = mayShare ? [] : null;

        public bool IsShared { get; set; }

        /// <summary>True while the table can still become its class's shared table.</summary>
        public bool MayShare { get; private set; } = mayShare;

        public int Count => _sequence?.Count ?? 0;

        public void Add<T>(Type type, Action<T> handler, MessageActor actor)
        {
            Handler entry;
            if (!MayShare)
            {
                entry = new ClosedHandler<T>(handler);
            }
            else if (ReferenceEquals(handler.Target, actor))
            {
                if (handler.Method is { IsStatic: false, DeclaringType: { IsGenericTypeDefinition: false } declaring } method && declaring.IsInstanceOfType(actor))
                {
                    entry = (Handler)Activator.CreateInstance(typeof(OpenHandler<,>).MakeGenericType(declaring, typeof(T)), method)!;
                    _sequence!.Add((type, method, null, entry));
                }
                else
                {
                    MayShare = false;
                    entry = new ClosedHandler<T>(handler);
                }
            }
            else if (handler.Target is MessageActor)
            {
                // Bound to another actor: never the same in another instance.
                MayShare = false;
                entry = new ClosedHandler<T>(handler);
            }
            else
            {
                // A cached lambda that captures nothing is the same delegate in every instance; anything else will not
                // match the next instance's, which then stops the sharing.
                entry = new ClosedHandler<T>(handler);
                _sequence!.Add((type, null, handler, entry));
            }
            if (!MayShare) _sequence = null;
            Handlers[type] = entry;
        }

        /// <summary>Whether registration <paramref name="index"/> of a later instance is the one this table recorded.</summary>
        public bool Matches<T>(int index, Type type, Action<T> handler, MessageActor actor)
        {
            if (_sequence is not { } sequence || index >= sequence.Count) return false;
            var (recordedType, method, shared, _) = sequence[index];
            if (recordedType != type) return false;
            return shared is not null
                ? ReferenceEquals(shared, handler)
                : ReferenceEquals(handler.Target, actor) && method == handler.Method;
        }

        /// <summary>A table of one instance's own with the first <paramref name="count"/> registrations (it will not be shared).</summary>
        public HandlerTable Prefix(int count)
        {
            var own = new HandlerTable(mayShare: false);
            foreach (var (type, _, _, handler) in _sequence!.Take(count)) own.Handlers[type] = handler;
            return own;
        }

        public void DropSequence() => _sequence = null;
    }

    private abstract class Handler
    {
        public abstract void Invoke(MessageActor actor, object message);
    }

    /// <summary>A handler that is a method of the actor, called on whichever instance received the message.</summary>
#pragma warning disable CA1812 // created by reflection, per actor class and message type
    private sealed class OpenHandler<TActor, T>(MethodInfo method) : Handler where TActor : MessageActor
#pragma warning restore CA1812
    {
        private readonly Action<TActor, T> _handler = method.CreateDelegate<Action<TActor, T>>();

        public override void Invoke(MessageActor actor, object message) => _handler((TActor)actor, (T)message);
    }

    /// <summary>A handler bound as it was given (a lambda that captured nothing, or one instance's closure).</summary>
    private sealed class ClosedHandler<T>(Action<T> handler) : Handler
    {
        public override void Invoke(MessageActor actor, object message) => handler((T)message);
    }
}
