"""kite_gdb.py: GDB commands for looking inside a stopped Kite kernel.

    kite-ps                     processes and threads, their states, what each waits on
                                (a queue, a mutex and who holds it) and holds
    kite-pt PID|kernel ADDRESS  the page-table walk for ADDRESS in that address space
    kite-bt TID                 the backtrace of a thread that is not on the CPU
    $kite_process(PID), $kite_thread(TID), $kite_user_frame(PID)
                                convenience functions for expressions

Load it with `source kernel/scripts/kite_gdb.py` (build/kite.gdbinit does)
after the kernel ELF. It reads the kernel's own structures through GDB, so
it knows their layout only by field names; when one is renamed, a command
stops with a message naming the field rather than printing nonsense.
README.md ("Debugging with GDB") shows a session.
"""
import os
import struct

import gdb

# kernel/mm/direct_map.h: all physical memory appears at this virtual
# address in every address space, so page tables are readable from any CR3.
DIRECT_MAP_BASE = 0xFFFF800000000000
ADDRESS_MASK = 0x000FFFFFFFFFF000  # PageTableEntry::address_mask
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_LIST = 10000  # bounds every list walk, in case a list is corrupt or cyclic


def fail(message):
    # GdbError prints the message alone, without a Python traceback.
    raise gdb.GdbError("kite: " + message)


# ---- reading kernel structures ---------------------------------------------


def static_variable(name, source_file):
    """A file-scope variable. Anonymous-namespace statics of different files
    can share a name, so the one defined in source_file wins."""
    symbols = gdb.lookup_static_symbols(name) if hasattr(gdb, "lookup_static_symbols") else []
    for symbol in symbols:
        if symbol.symtab and symbol.symtab.filename.endswith(source_file):
            return symbol.value()
    symbol = gdb.lookup_global_symbol(name)
    if symbol:
        return symbol.value()
    short = name.rsplit("::", 1)[-1]
    fail(f"no variable {name} in {source_file}: was it renamed or moved? "
         f"(`info variables {short}` lists candidates)")


def field(value, name):
    """value.name (through a pointer too), or a clear error naming the field."""
    if value.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        value = value.dereference()
    try:
        return value[name]
    except gdb.error:
        names = [f.name for f in value.type.strip_typedefs().fields() if f.name]
        fail(f"{value.type} has no field {name!r} (it has: {', '.join(names)}); "
             "kite_gdb.py needs updating")


def kernel_type(name):
    try:
        return gdb.lookup_type(name)
    except gdb.error:
        fail(f"no type {name} in the kernel's debug information")


def enum_name(value):
    """'Blocked' for kite::ThreadState::Blocked."""
    return str(value).rsplit("::", 1)[-1]


def cstring(array):
    """A char array member as text, up to its NUL."""
    data = bytes(int(array[i]) & 0xFF for i in range(array.type.sizeof))
    return data.split(b"\0", 1)[0].decode("utf-8", errors="replace")


def as_int(value):
    return int(value) & 0xFFFFFFFFFFFFFFFF


def read_u64(address):
    try:
        data = gdb.selected_inferior().read_memory(address, 8)
    except gdb.MemoryError:
        fail(f"cannot read memory at {address:#x}")
    return struct.unpack("<Q", bytes(data))[0]


def read_u64s(address, count):
    try:
        data = gdb.selected_inferior().read_memory(address, 8 * count)
    except gdb.MemoryError:
        fail(f"cannot read {8 * count} bytes at {address:#x}")
    return struct.unpack(f"<{count}Q", bytes(data))


def pointer_value(value):
    """The raw pointer inside an OwnPtr/RefPtr (m_object), or a plain pointer."""
    if value.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        return value
    return field(value, "m_object")


def info_symbol(address):
    """'name + offset' for an address with a minimal symbol, else None."""
    text = gdb.execute(f"info symbol {address:#x}", to_string=True).strip()
    if text.startswith("No symbol"):
        return None
    return text.split(" in section ", 1)[0]


# ---- the kernel's objects --------------------------------------------------


def processes():
    """Every Process (pointers), in the kernel's list order (newest first)."""
    process = static_variable("kite::(anonymous namespace)::all_processes", "proc/process_table.cpp")
    result = []
    while as_int(process) != 0 and len(result) < MAX_LIST:
        result.append(process)
        process = field(process, "m_next")
    return result


def is_zombie(process):
    return enum_name(field(process, "m_state")) == "Zombie"


def process_threads(process):
    """A process's live threads (a zombie has none), linked through
    Thread::user.next_in_process."""
    threads = []
    if is_zombie(process):
        return threads
    thread = field(process, "m_threads")
    while as_int(thread) != 0 and len(threads) < MAX_LIST:
        threads.append(thread)
        thread = field(field(thread, "user"), "next_in_process")
    return threads


def process_thread(process):
    """The first of a process's threads, or None."""
    threads = process_threads(process)
    return threads[0] if threads else None


def queue_threads(thread_queue):
    """The threads in a ThreadQueue, front first (linked through m_next)."""
    threads = []
    thread = field(thread_queue, "m_head")
    while as_int(thread) != 0 and len(threads) < MAX_LIST:
        threads.append(thread)
        thread = field(thread, "m_next")
    return threads


def thread_pointer_type():
    return kernel_type("kite::Thread").pointer()


def scheduler_variable(name):
    return static_variable(f"kite::(anonymous namespace)::{name}", "sched/scheduler.cpp")


def online_cpus():
    """Each online CPU's CpuLocal (arch/x86_64/cpu_local.h), by id."""
    count = int(static_variable("kite::cpu_local::(anonymous namespace)::online_count",
                                "arch/x86_64/cpu_local.cpp"))
    array = gdb.parse_and_eval("cpu_locals")
    return [array[i] for i in range(max(1, min(count, 64)))]


def running_threads():
    """{thread address: CPU id} for each CPU's current thread."""
    return {as_int(field(cpu, "current")): int(field(cpu, "id")) for cpu in online_cpus()
            if as_int(field(cpu, "current"))}


def run_queues():
    """Each CPU's run queue, by id (sched/scheduler.cpp)."""
    queues = scheduler_variable("run_queues")
    return [queues[i] for i in range(len(online_cpus()))]


def boot_thread():
    # Thread::adopt_boot_context builds the boot thread in a byte array.
    storage = static_variable("kite::(anonymous namespace)::boot_thread_storage",
                              "sched/thread.cpp")
    thread = storage.address.cast(thread_pointer_type())
    return thread if cstring(field(thread, "m_name")) else None


def c_string_at(pointer, limit=64):
    """The NUL-terminated text a char pointer points to (at most limit bytes)."""
    address = as_int(pointer)
    if address == 0:
        return "?"
    try:
        data = bytes(gdb.selected_inferior().read_memory(address, limit))
    except gdb.MemoryError:
        return "?"
    return data.split(b"\0", 1)[0].decode("utf-8", errors="replace")


def mutex_name(mutex):
    return c_string_at(field(mutex, "m_name"))


def mutex_waiters_address(mutex):
    """The ThreadQueue a thread waiting for this Mutex is on (Mutex::m_waiters)."""
    return as_int(field(field(mutex, "m_waiters"), "m_waiters").address)


def mutex_wait_text(mutex):
    """'waiting for mutex 'pipe', held by tid 5', read when asked (the owner changes)."""
    owner = field(mutex, "m_owner")
    holder = f"held by tid {int(field(owner, 'm_id'))}" if as_int(owner) else "held by nobody now"
    return f"waiting for mutex '{mutex_name(mutex)}', {holder}"


def held_mutexes(thread):
    """The Mutex pointers a thread holds, outermost first (Thread::held_mutexes)."""
    held = field(thread, "held_mutexes")
    locks = field(held, "locks")
    capacity = locks.type.strip_typedefs().range()[1] + 1
    count = min(int(field(held, "count")), capacity)
    return [locks[i] for i in range(count) if as_int(locks[i])]


def known_wait_queues():
    """{address of a ThreadQueue: who owns it}, for every wait queue the
    kernel can name: those in each process, the console's, pipes', and
    those of the mutexes the kernel can find (the console's and pipes', each
    process's user memory, and every mutex some thread holds)."""
    owners = {}

    def add(wait_queue, description):
        owners.setdefault(as_int(field(wait_queue, "m_waiters").address), description)

    def add_mutex(mutex, description):
        owners.setdefault(mutex_waiters_address(mutex),
                          f"{description} ({mutex_wait_text(mutex)})")

    for process in processes():
        pid = int(field(process, "m_pid"))
        add(field(process, "m_child_event"), f"pid {pid}'s m_child_event (waiting for a child: wait4)")
        add(field(process, "m_exited"), f"pid {pid}'s m_exited (waiting for pid {pid} to exit)")
        add(field(process, "m_continued"), f"pid {pid}'s m_continued (stopped, waiting for SIGCONT)")
        # Null while the process is being spawned and once it has exited.
        space = pointer_value(field(process, "m_user_space"))
        if as_int(space):
            add_mutex(field(space, "m_lock"), f"pid {pid}'s user memory lock")
    for name, description, is_mutex in (
            ("readers", "the console's readers (waiting for console input)", False),
            ("reader_lock", "the console's reader_lock", True)):
        try:
            value = static_variable(f"kite::console_tty::(anonymous namespace)::{name}",
                                    "tty/console_tty.cpp")
        except gdb.GdbError:
            continue
        if is_mutex:
            add_mutex(value, description)
        else:
            add(value, description)
    for address, description in pipe_wait_queues().items():
        owners.setdefault(address, description)
    # Any other mutex: a thread waits for one only while another holds it.
    for thread in base_threads():
        for mutex in held_mutexes(thread):
            owners.setdefault(mutex_waiters_address(mutex),
                              f"mutex {as_int(mutex):#x} ({mutex_wait_text(mutex)})")
    return owners


def pipe_wait_queues():
    """The wait queues of every pipe some process has open, found through the
    descriptor tables (a pipe end is a PipeEnd vnode holding the Pipe)."""
    owners = {}
    for process in processes():
        if is_zombie(process):
            continue
        pid = int(field(process, "m_pid"))
        table = field(process, "m_fds")
        count = int(field(table, "m_end"))  # no descriptor at or above it is open
        slot_size = kernel_type("kite::FdTable::Slot").sizeof
        # One read for the used slots; each begins with its RefPtr<OpenFile>.
        words = read_u64s(as_int(field(table, "m_slots")), count * slot_size // 8)
        for fd in range(count):
            open_file = words[fd * slot_size // 8]
            if open_file == 0:
                continue
            try:
                pipe_end = pipe_end_of(open_file)
                if pipe_end is None:
                    continue
                pipe = pointer_value(field(pipe_end, "m_pipe"))
                end = "write" if bool(field(pipe_end, "m_writer")) else "read"
            except (gdb.error, gdb.GdbError, gdb.MemoryError):
                continue
            where = f"pid {pid} has its {end} end as fd {fd}"
            for member, why in (("m_readable", "waiting for data"),
                                ("m_writable", "waiting for room")):
                address = as_int(field(field(pipe, member), "m_waiters").address)
                owners.setdefault(address, f"pipe {as_int(pipe):#x}'s {member} ({why}); {where}")
            lock = field(pipe, "m_lock")
            owners.setdefault(mutex_waiters_address(lock),
                              f"pipe {as_int(pipe):#x}'s m_lock ({mutex_wait_text(lock)}); {where}")
    return owners


def pipe_end_of(open_file_address):
    """The PipeEnd behind an OpenFile, or None if the file is no pipe."""
    open_file = gdb.Value(open_file_address).cast(kernel_type("kite::OpenFile").pointer())
    vnode = pointer_value(field(open_file, "m_vnode"))
    if as_int(vnode) == 0:
        return None
    # GDB finds the dynamic type from the vtable pointer (no RTTI needed).
    dynamic = vnode.dynamic_type
    if "PipeEnd" not in str(dynamic.target() if dynamic.code == gdb.TYPE_CODE_PTR else dynamic):
        return None
    return vnode.cast(dynamic)


def timer_threads():
    """The threads on the scheduler's timer list (waiting with a deadline),
    earliest first, linked through m_timer_next."""
    threads = []
    thread = scheduler_variable("timers")
    while as_int(thread) != 0 and len(threads) < MAX_LIST:
        threads.append(thread)
        thread = field(thread, "m_timer_next")
    return threads


def base_threads():
    """The threads reachable without the wait queues: each live process's,
    the boot and idle threads, the running one, the run queue and the
    timer list."""
    threads = [t for process in reversed(processes()) for t in process_threads(process)]
    threads += [boot_thread()]
    for cpu in online_cpus():
        threads += [field(cpu, "idle"), field(cpu, "current")]
    for queue in run_queues():
        threads += queue_threads(queue.address)
    threads += timer_threads()
    return [thread for thread in threads if thread is not None and as_int(thread) != 0]


def all_threads():
    """Every thread the kernel can reach, as (thread pointer, process or None):
    each process's, then the kernel's own (boot, idle, and any others found
    on the run queue, the timer list or a known wait queue)."""
    result = []
    seen = set()

    def add(thread, process=None):
        if thread is None or as_int(thread) == 0 or as_int(thread) in seen:
            return
        seen.add(as_int(thread))
        result.append((thread, process))

    for process in reversed(processes()):  # oldest first, like ps
        for thread in process_threads(process):
            add(thread, process)
    kernel_threads = base_threads()
    for address in known_wait_queues():
        queue = gdb.Value(address).cast(kernel_type("kite::ThreadQueue").pointer())
        kernel_threads += queue_threads(queue)
    for thread in kernel_threads:
        if as_int(field(thread, "m_process")) == 0:
            add(thread)
    return result


def find_process(pid):
    for process in processes():
        if int(field(process, "m_pid")) == pid:
            return process
    fail(f"no process {pid} (kite-ps lists them)")


def find_thread(tid):
    for thread, _ in all_threads():
        if int(field(thread, "m_id")) == tid:
            return thread
    fail(f"no thread {tid} (kite-ps lists them)")


def now_ns():
    """About now on the kernel's monotonic clock: the timer ticks counted so far."""
    try:
        ticks = int(static_variable("kite::clock::(anonymous namespace)::tick_count", "time/clock.cpp"))
        period_ps = int(static_variable("kite::clock::(anonymous namespace)::period_ps", "time/clock.cpp"))
    except gdb.GdbError:
        return None
    return ticks * period_ps // 1000 if period_ps else None


def wait_description(thread, owners, now):
    """What a thread waits on, in words."""
    parts = []
    queue = as_int(field(thread, "m_waiting_on"))
    if queue:
        top = as_int(field(thread, "m_kernel_stack_top"))
        if queue in owners:
            parts.append("on " + owners[queue])
        elif as_int(field(thread, "m_saved_rsp")) <= queue < top:
            # Scheduler::sleep_for (sleep_ns, sleep_interruptible_ns) waits on
            # a local queue that nobody wakes: only the timeout (or a signal)
            # ends it.
            parts.append(f"on a queue on its own stack at {queue:#x} (a sleep)")
        else:
            symbol = info_symbol(queue)
            parts.append(f"on {symbol}" if symbol else f"on the queue at {queue:#x} (owner unknown)")
    elif enum_name(field(thread, "m_state")) == "Blocked":
        parts.append("on no queue")
    wake_at = as_int(field(thread, "m_wake_at_ns"))
    if wake_at == 0xFFFFFFFFFFFFFFFF:  # WaitQueue::wait saturates a huge timeout
        parts.append("timeout never")
    elif wake_at:
        text = f"timeout at {wake_at / 1e9:.3f} s"
        if now is not None:
            text += f" (in ~{(wake_at - now) / 1e9:.1f} s)"
        parts.append(text)
    return ", ".join(parts)


# ---- the commands ----------------------------------------------------------


class KiteCommand(gdb.Command):
    """A kite-* command: run(argument) does the work."""

    def invoke(self, argument, from_tty):
        try:
            self.run(argument)
        except gdb.MemoryError as error:
            # Before the bootstrap has mapped the higher half (or with a
            # corrupt pointer) the kernel's variables cannot be read.
            fail(f"{error}: is the kernel running yet (stop it in kernel_main or later)?")


# ---- kite-cpus -------------------------------------------------------------


class KiteCpus(KiteCommand):
    """Each online CPU's scheduling state.

Usage: kite-cpus
One line per CPU: its id and local APIC id, the thread on it (tid, name,
"idle" for its idle thread), how many threads wait in its run queue and
whether it is to switch at its next chance (need_resched). GDB's own
`info threads` lists the same CPUs (QEMU gives one GDB thread per CPU)."""

    def __init__(self):
        super().__init__("kite-cpus", gdb.COMMAND_DATA)

    def run(self, argument):
        if argument.strip():
            fail("kite-cpus takes no arguments")
        queues = run_queues()
        for cpu, queue in zip(online_cpus(), queues):
            current = field(cpu, "current")
            if as_int(current) == 0:
                running = "nothing yet"
            else:
                kind = "idle" if as_int(current) == as_int(field(cpu, "idle")) else "thread"
                running = f"{kind} tid {int(field(current, 'm_id'))} ({cstring(field(current, 'm_name'))})"
            resched = ", to switch" if bool(field(cpu, "need_resched")) else ""
            print(f"CPU {int(field(cpu, 'id'))} (APIC {int(field(cpu, 'apic_id'))}): {running}, "
                  f"{int(field(queue, 'm_length'))} queued{resched}")


# ---- kite-ps ---------------------------------------------------------------


class KitePs(KiteCommand):
    """List Kite's processes and threads.

Usage: kite-ps
For each process: pid, parent, process group, session, state (Running,
Stopped, Zombie) and name; under it its thread: tid, state (Runnable,
Running, Blocked, Dead), what it waits on (the owner of the wait queue
when known; for a mutex its name and holder, "waiting for mutex 'pipe',
held by tid 5"; and the timeout) and the mutexes it holds. Kernel threads
follow."""

    def __init__(self):
        super().__init__("kite-ps", gdb.COMMAND_DATA)

    def run(self, argument):
        if argument.strip():
            fail("kite-ps takes no arguments")
        owners = known_wait_queues()
        now = now_ns()
        running = running_threads()
        print(f"{'PID':>5} {'PPID':>5} {'PGID':>5} {'SID':>5}  {'NAME':<12} STATE")
        threads = all_threads()
        if not processes():
            print("(no processes yet)")
        for process in reversed(processes()):  # oldest first
            print(process_line(process))
            for thread in process_threads(process):
                print(thread_line(thread, owners, now, running, with_name=False))
        kernel = [thread for thread, process in threads if process is None]
        if kernel:
            print("kernel threads:")
            for thread in kernel:
                print(thread_line(thread, owners, now, running, with_name=True))
        elif not threads:
            print("(no threads: the scheduler is not set up yet)")


def process_line(process):
    parent = field(process, "m_parent")
    ppid = int(field(parent, "m_pid")) if as_int(parent) else 0
    state = enum_name(field(process, "m_state"))
    if state == "Zombie":
        state = f"Zombie (wait status {int(field(process, 'm_wait_status')):#x})"
    elif bool(field(process, "m_stopped")):
        state = f"Stopped (signal {int(field(process, 'm_stop_signal'))})"
    return (f"{int(field(process, 'm_pid')):>5} {ppid:>5} {int(field(process, 'm_pgid')):>5} "
            f"{int(field(process, 'm_sid')):>5}  {cstring(field(process, 'm_name')):<12} {state}")


def thread_line(thread, owners, now, running, with_name):
    # A process's thread keeps the name it was created with (fork copies
    # the parent's, exec does not rename it), so only kernel threads show it.
    state = enum_name(field(thread, "m_state"))
    if as_int(thread) in running:
        state += f" (on CPU {running[as_int(thread)]})"
    line = f"{'':>12}tid {int(field(thread, 'm_id')):<4} {state}"
    if with_name:
        line += f"  {cstring(field(thread, 'm_name'))}"
    waits = wait_description(thread, owners, now)
    held = ", ".join(f"'{mutex_name(mutex)}'" for mutex in held_mutexes(thread))
    if held:
        waits += ("; " if waits else "") + f"holding mutex {held}"
    return line + ("  " + waits if waits else "")


# ---- kite-pt ---------------------------------------------------------------

PAGE_FLAGS = [  # kernel/arch/x86_64/page_table.h
    (0, "P"), (1, "W"), (2, "U"), (3, "PWT"), (4, "PCD"), (5, "A"), (6, "D"),
    (7, "PS"), (8, "G"), (63, "NX"),
]
LEVELS = [("PML4", 39), ("PDPT", 30), ("PD", 21), ("PT", 12)]


def flag_names(raw, level):
    names = []
    for bit, name in PAGE_FLAGS:
        if raw & (1 << bit):
            if name == "PS":
                # Bit 7 means a huge page in a PDPT or PD entry; in a PT
                # entry it is the PAT bit.
                name = "huge" if level in ("PDPT", "PD") else "PAT"
            names.append(name)
    return " ".join(names)


def address_space_pml4(who):
    """(description, physical address of the PML4) for a pid or 'kernel'."""
    if who == "kernel":
        space = static_variable("kite::(anonymous namespace)::kernel_space",
                                "arch/x86_64/address_space.cpp")
        if as_int(space) == 0:
            fail("the kernel address space is not set up yet")
        return "the kernel address space", as_int(field(field(space, "m_pml4"), "m_value"))
    try:
        pid = int(gdb.parse_and_eval(who))
    except gdb.error:
        fail(f"{who!r} is no pid (or 'kernel')")
    process = find_process(pid)
    # Process::m_user_space (a UserSpace) owns the page tables (m_tables, an
    # AddressSpace); it is null while the process is spawned and after exit.
    space = pointer_value(field(process, "m_user_space"))
    name = cstring(field(process, "m_name"))
    if as_int(space) == 0:
        fail(f"pid {pid} ({name}) has no user memory (it is being created or has exited)")
    tables = pointer_value(field(space, "m_tables"))
    if as_int(tables) == 0:
        fail(f"pid {pid} ({name}) has no page tables yet")
    return f"pid {pid} ({name})", as_int(field(field(tables, "m_pml4"), "m_value"))


def address_of_expression(text):
    """The address an expression names: its value, or for a function (or an
    array) where it is, so that `kite-pt kernel kernel_main` works."""
    try:
        value = gdb.parse_and_eval(text)
        if value.type.strip_typedefs().code in (gdb.TYPE_CODE_FUNC, gdb.TYPE_CODE_ARRAY):
            value = value.address
        return as_int(value)
    except gdb.error as error:
        fail(f"cannot evaluate {text!r} as an address: {error}")


class KitePt(KiteCommand):
    """Walk the page tables for an address in a Kite address space.

Usage: kite-pt PID ADDRESS    (or: kite-pt kernel ADDRESS)
ADDRESS is any GDB expression, e.g. $kite_user_frame(5)->rip. Shows each
level's index, entry (raw and flags P W U PWT PCD A D huge G NX) and where
it leads, then the physical address, or the level where the walk stops.
The tables are read through the kernel's direct map."""

    def __init__(self):
        super().__init__("kite-pt", gdb.COMMAND_DATA)

    def run(self, argument):
        words = argument.split(None, 1)
        if len(words) != 2:
            fail("usage: kite-pt PID|kernel ADDRESS")
        owner, pml4 = address_space_pml4(words[0])
        virt = address_of_expression(words[1])
        print(f"{virt:#x} in {owner}, PML4 at physical {pml4:#x}")
        top = virt >> 47
        if top not in (0, 0x1FFFF):
            print(f"  not canonical: bits 63..47 must all be equal; the CPU faults on {virt:#x}")
            return
        table = pml4
        user = writable = True
        no_execute = False
        for level, shift in LEVELS:
            index = (virt >> shift) & 511
            entry_address = table + 8 * index
            raw = read_u64(DIRECT_MAP_BASE + entry_address)
            label = f"{level}[{index}]"
            line = f"  {label:<10} entry {raw:#018x}"
            if not raw & 1:
                print(line + "  not present")
                print(f"  not mapped: the walk stops at the {level} entry")
                return
            user = user and bool(raw & 4)
            writable = writable and bool(raw & 2)
            no_execute = no_execute or bool(raw >> 63)
            flags = flag_names(raw, level)
            huge = level in ("PDPT", "PD") and raw & 0x80
            if level == "PT" or huge:
                size = 1 << shift
                frame = raw & ADDRESS_MASK & ~(size - 1)
                physical = frame + (virt & (size - 1))
                kind = {12: "4 KiB", 21: "2 MiB", 30: "1 GiB"}[shift]
                print(f"{line}  {flags:<18} -> {kind} page at {frame:#x}")
                access = ("user" if user else "kernel-only") + (", writable" if writable else ", read-only")
                access += ", no-execute" if no_execute else ", executable"
                print(f"  physical address {physical:#x} ({access}; "
                      f"in the direct map at {DIRECT_MAP_BASE + physical:#x})")
                return
            table = raw & ADDRESS_MASK
            next_level = LEVELS[[l for l, _ in LEVELS].index(level) + 1][0]
            print(f"{line}  {flags:<18} -> {next_level} at {table:#x}")


# ---- kite-bt ---------------------------------------------------------------

# switch_context (kernel/arch/x86_64/context_switch.asm) pushes rbp, rbx,
# r12, r13, r14, r15 below its return address and saves rsp: from the saved
# rsp up, the words are these, then the return address into its caller.
SAVED_REGISTERS = ["r15", "r14", "r13", "r12", "rbx", "rbp"]
# Kernel entries that build an InterruptFrame and call C++ with rsp pointing
# at it (interrupt_stubs.asm, syscall_entry.asm). The callee's frame record
# sits just below: frame = that callee's rbp + 16.
FRAME_BUILDERS = ("interrupt_common", "syscall_entry")
MAX_FRAMES = 64


def short_path(filename):
    if filename.startswith(SOURCE_ROOT + os.sep):
        return filename[len(SOURCE_ROOT) + 1:]
    return filename


def describe_code(pc, is_return_address):
    """The function names at pc, innermost (inlined) first, with the source
    line of the innermost. A return address is looked up one byte back, so
    that a call at the end of a function is not blamed on the next one."""
    lookup = pc - 1 if is_return_address else pc
    names = []
    try:
        block = gdb.block_for_pc(lookup)
    except RuntimeError:
        block = None
    while block is not None and not (block.is_static or block.is_global):
        if block.function is not None:
            names.append(block.function.print_name)
        block = block.superblock
    if not names:
        # Assembly (no debug information): the ELF symbol and the offset.
        symbol = info_symbol(lookup)
        if not symbol:
            return ["??"], None
        name, _, offset = symbol.partition(" + ")
        offset = int(offset or "0") + (pc - lookup)
        return [f"{name}+{offset}" if offset else name], None
    line = gdb.find_pc_line(lookup)
    where = f"{short_path(line.symtab.filename)}:{line.line}" if line.symtab else None
    return names, where


def code_address(name):
    """The address of a function (an assembly one too), or None."""
    try:
        return as_int(gdb.parse_and_eval(f"&{name}"))
    except gdb.error:
        return None


def symbol_name(pc):
    """The ELF symbol a return address belongs to; an assembly file's local
    label (interrupt_common.from_kernel) counts as its function."""
    symbol = info_symbol(pc - 1)
    return symbol.split(" + ", 1)[0].split(".", 1)[0] if symbol else None


def syscall_name(number):
    """The handler the dispatch table has for a system-call number."""
    try:
        table = static_variable("kite::(anonymous namespace)::table", "syscalls/dispatch.cpp")
        handlers = field(table, "handlers")
        if 0 <= number <= handlers.type.strip_typedefs().range()[1]:
            handler = as_int(handlers[number])
            symbol = info_symbol(handler) if handler else None
            if symbol:
                name = symbol.split("(", 1)[0].rsplit("::", 1)[-1]
                return name[4:] if name.startswith("sys_") else name
    except gdb.GdbError:
        pass
    return None


def interrupt_frame_text(address, callees):
    """What the InterruptFrame at address says: the kind of entry, and the
    registers it came from. callees: the function names of the frames
    below (called from) the entry."""
    frame = gdb.Value(address).cast(kernel_type("kite::InterruptFrame").pointer())
    vector = as_int(field(frame, "vector"))
    rip = as_int(field(frame, "rip"))
    rsp = as_int(field(frame, "rsp"))
    from_user = as_int(field(frame, "cs")) & 3 == 3
    if vector == 0x100:  # syscall_entry's mark for a system call
        # rax is the number until the handler returns, then the result. It
        # is the number for sure when that number's handler is on the stack.
        rax = as_int(field(frame, "rax"))
        name = syscall_name(rax)
        if name and any(f"sys_{name}(" in callee for callee in callees):
            what = f"system call {rax} ({name})"
        else:
            signed = rax - (1 << 64) if rax >> 63 else rax
            what = f"system call (its handler has returned: rax holds the result {signed})"
    else:
        what = f"interrupt vector {vector}"
    where = "from user mode" if from_user else "from the kernel"
    return from_user, rip, f"{what} {where} at rip {rip:#x}, rsp {rsp:#x} (InterruptFrame at {address:#x})"


class KiteBt(KiteCommand):
    """Backtrace of a Kite thread that is not running, from its saved context.

Usage: kite-bt TID
Starts at the return address switch_context saved (in Scheduler::schedule)
and follows the frame pointers from the saved rbp, within the thread's
kernel stack. Kernel entries (system calls, interrupts) show the saved
InterruptFrame; the walk ends at the user boundary. For the thread on the
CPU it runs GDB's own `bt`."""

    def __init__(self):
        super().__init__("kite-bt", gdb.COMMAND_STACK)

    def run(self, argument):
        try:
            tid = int(gdb.parse_and_eval(argument))
        except gdb.error:
            fail("usage: kite-bt TID (kite-ps lists the threads)")
        thread = find_thread(tid)
        state = enum_name(field(thread, "m_state"))
        process = field(thread, "m_process")
        if as_int(process):
            # The process's name: the thread's is the one it was created with.
            name = cstring(field(process, "m_name"))
            owner = f" of pid {int(field(process, 'm_pid'))}"
        else:
            name = cstring(field(thread, "m_name"))
            owner = " (kernel)"
        running = running_threads()
        if as_int(thread) in running:
            cpu = running[as_int(thread)]
            print(f"thread {tid} ({name}){owner} is on CPU {cpu}: its registers are that CPU's")
            gdb.execute(f"thread {cpu + 1}")  # QEMU's gdbstub: one GDB thread per CPU
            gdb.execute("bt")
            return
        if state == "Dead":
            fail(f"thread {tid} ({name}) is dead; its stack may be gone")
        sp = as_int(field(thread, "m_saved_rsp"))
        top = as_int(field(thread, "m_kernel_stack_top"))
        words = read_u64s(sp, len(SAVED_REGISTERS) + 1)
        saved = dict(zip(SAVED_REGISTERS, words))
        print(f"thread {tid} ({name}){owner}, {state}, switched out at rsp {sp:#x} "
              f"(stack top {top:#x})")
        print("  saved: " + " ".join(f"{r}={saved[r]:#x}" for r in reversed(SAVED_REGISTERS)))
        frames = [(words[-1], True)]  # (pc, is a return address)
        rbp = saved["rbp"]
        note = None
        user_frame = None
        if words[-1] == code_address("thread_start"):
            # Thread::create's frame: switch_context will "return" to the
            # start of thread_start, which calls r12(r13).
            frames = [(words[-1], False)]
            entry = describe_code(saved["r12"], False)[0][-1]
            note = f"a new thread that has not run yet; it will start in {entry}"
            rbp = None
        while rbp is not None and len(frames) < MAX_FRAMES:
            if rbp == 0:
                note = "end of the frame chain (rbp 0: a thread's start, or the user boundary)"
                break
            # A frame record is [caller's rbp][return address] on this stack,
            # and callers sit higher: anything else is the end or corruption.
            if rbp % 8 or not sp <= rbp < top - 8:
                note = f"the walk stops: rbp {rbp:#x} is not on this thread's kernel stack"
                break
            next_rbp, return_address = read_u64s(rbp, 2)
            if return_address == 0:
                note = "end of the frame chain (return address 0)"
                break
            frames.append((return_address, True))
            if symbol_name(return_address) in FRAME_BUILDERS:
                callees = [name for pc, is_return in frames if is_return is not None
                           for name in describe_code(pc, is_return)[0]]
                from_user, rip, text = interrupt_frame_text(rbp + 16, callees)
                frames.append((text, None))
                if from_user:
                    user_frame = rip
                    break
                frames.append((rip, False))  # the interrupted kernel code
            if next_rbp != 0 and next_rbp <= rbp:
                note = f"the walk stops: the next rbp {next_rbp:#x} does not ascend"
                break
            rbp = next_rbp
        number = 0
        for pc, is_return in frames:
            if is_return is None:
                print(f"    [{pc}]")
                continue
            names, where = describe_code(pc, is_return)
            for i, function in enumerate(names):
                inlined = " [inlined]" if i < len(names) - 1 else ""
                location = f" at {where}" if where and i == 0 else ""
                print(f"#{number:<3}{pc:#018x} in {function}{inlined}{location}")
                number += 1
        if user_frame is None and note:
            print(f"    ({note})")


# ---- convenience functions -------------------------------------------------


class KiteProcessFunction(gdb.Function):
    """$kite_process(PID): the kite::Process* with that pid."""

    def __init__(self):
        super().__init__("kite_process")

    def invoke(self, pid):
        return find_process(int(pid))


class KiteThreadFunction(gdb.Function):
    """$kite_thread(TID): the kite::Thread* with that id."""

    def __init__(self):
        super().__init__("kite_thread")

    def invoke(self, tid):
        return find_thread(int(tid))


class KiteUserFrameFunction(gdb.Function):
    """$kite_user_frame(PID): the kite::InterruptFrame* at the top of the
process's kernel stack: its user registers while it is in the kernel."""

    def __init__(self):
        super().__init__("kite_user_frame")

    def invoke(self, pid):
        thread = process_thread(find_process(int(pid)))
        if thread is None:
            fail(f"pid {int(pid)} has no thread")
        frame_type = kernel_type("kite::InterruptFrame")
        top = as_int(field(thread, "m_kernel_stack_top"))
        return gdb.Value(top - frame_type.sizeof).cast(frame_type.pointer())


KitePs()
KiteCpus()
KitePt()
KiteBt()
KiteProcessFunction()
KiteThreadFunction()
KiteUserFrameFunction()
print("kite: loaded kite-ps, kite-cpus, kite-pt, kite-bt and $kite_process, $kite_thread, $kite_user_frame "
      "(help kite-ps etc.)")
