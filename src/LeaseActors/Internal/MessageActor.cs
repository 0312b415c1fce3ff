using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
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
/// table: same message type, in the same order, and the same method on <c>this</c> or the very same delegate (a
/// lambda or a method group is recognised by its call site and source text, which the compiler passes in, because
/// reading a delegate's method by reflection for every registration of every instance cost 13% of a 10^5-process run,
/// and 3% of a campaign run for the method groups alone). An
/// instance that registers anything else (a lambda that captures a constructor argument is a new delegate each
/// time), or registers after its constructor, gets a table of its own, and so does every later instance of its
/// class; so sharing never changes which handler runs.
/// </para>
/// </remarks>
internal abstract partial class MessageActor : UntypedActor
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
    /// <param name="handler">The handler.</param>
    /// <param name="file">Filled in by the compiler: with the line and the handler's source text, identifies a lambda.</param>
    /// <param name="line">Filled in by the compiler.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    protected void Receive<T>(Action<T> handler, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(handler))] string expression = "")
    {
        ArgumentNullException.ThrowIfNull(handler);
        var site = new CallSite(file, line, expression);
        if (_table.IsShared)
        {
            if (!_sealed && _table.Matches(_matched, typeof(T), handler, site, this))
            {
                _matched++;
                return;
            }
            Unshare();
        }
        _table.Add(typeof(T), handler, site, this);
    }

    /// <summary>Where a handler was registered, and its source text.</summary>
    private readonly record struct CallSite(string File, int Line, string Expression)
    {
        /// <summary>
        /// Whether the handler is written as one lambda right there: then it is the same compiled method every time the
        /// call runs. (A variable could hold another method in another instance.)
        /// </summary>
        public bool IsLambda => LambdaText().IsMatch(Expression);

        /// <summary>
        /// Whether the handler is written right there as <paramref name="method"/>'s name (<c>OnSpawn</c> or
        /// <c>this.OnSpawn</c>): a method group of the actor, which names the same method in every instance of the same
        /// class (overloads are chosen by the delegate's type, overrides by the class). Only a local variable or
        /// parameter that has the name of the method it holds could look the same and differ; none does.
        /// </summary>
        public bool Names(MethodInfo method) =>
            Expression == method.Name || (Expression.StartsWith("this.", StringComparison.Ordinal) && Expression.AsSpan(5).SequenceEqual(method.Name));

        /// <summary>Whether the handler's text alone identifies it in every instance (see <see cref="IsLambda"/> and <see cref="Names"/>).</summary>
        public bool Identifies(MethodInfo method) => IsLambda || Names(method);
    }

    [GeneratedRegex(@"^\s*(static\s+)?(\([^()]*\)|[A-Za-z_@][A-Za-z0-9_]*)\s*=>", RegexOptions.CultureInvariant)]
    private static partial Regex LambdaText();

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
        private List<Registration>? _sequence = mayShare ? [] : null;

        public bool IsShared { get; set; }

        /// <summary>True while the table can still become its class's shared table.</summary>
        public bool MayShare { get; private set; } = mayShare;

        public int Count => _sequence?.Count ?? 0;

        public void Add<T>(Type type, Action<T> handler, CallSite site, MessageActor actor)
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
                    _sequence!.Add(new Registration(type, method, site.Identifies(method) ? site : null, null, entry));
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
                _sequence!.Add(new Registration(type, null, null, handler, entry));
            }
            if (!MayShare) _sequence = null;
            Handlers[type] = entry;
        }

        /// <summary>Whether registration <paramref name="index"/> of a later instance is the one this table recorded.</summary>
        public bool Matches<T>(int index, Type type, Action<T> handler, CallSite site, MessageActor actor)
        {
            if (_sequence is not { } sequence || index >= sequence.Count) return false;
            var recorded = sequence[index];
            if (recorded.Type != type) return false;
            if (recorded.Shared is not null) return ReferenceEquals(recorded.Shared, handler);
            if (!ReferenceEquals(handler.Target, actor)) return false;
            return recorded.Site is { } recordedSite ? recordedSite == site : recorded.Method == handler.Method;
        }

        /// <summary>A table of one instance's own with the first <paramref name="count"/> registrations (it will not be shared).</summary>
        public HandlerTable Prefix(int count)
        {
            var own = new HandlerTable(mayShare: false);
            foreach (var registration in _sequence!.Take(count)) own.Handlers[registration.Type] = registration.Handler;
            return own;
        }

        public void DropSequence() => _sequence = null;
    }

    /// <summary>
    /// One registration of a shared table: the message type, and what a later instance must pass for it — the same
    /// lambda or method group (<paramref name="Site"/>: its call site and text), the same method on itself
    /// (<paramref name="Method"/>, compared by reflection when the text does not identify it), or the very same delegate
    /// (<paramref name="Shared"/>).
    /// </summary>
    private sealed record Registration(Type Type, MethodInfo? Method, CallSite? Site, Delegate? Shared, Handler Handler);

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
