package io.tribune.sfu.ice;

import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;

/**
 * One endpoint's ICE over the node's shared {@link IceUdpPort}: a controlled ice4j agent with one BUNDLE
 * component (rtcp-mux), consent freshness (RFC 7675), and ICE restart.
 *
 * <p>Lifecycle: construct (local credentials and candidates exist at once, for the answer), {@link #start} with
 * the offer's credentials, {@link #send} once {@link IceListener#onWritable()} fired, {@link #restart()} for a new
 * offer with new credentials, {@link #close()}.
 *
 * <p>Threading: ice4j calls back on its own threads and delivers datagrams on the port's receive thread to the
 * {@link DatagramHandler}; consent is checked on the given scheduler. All methods are thread-safe.
 */
public final class IceTransport implements AutoCloseable {

    /** Our host candidates share one local preference; several host addresses get descending ones. */
    private static final int LOCAL_PREFERENCE = 65535;
    private static final long CONSENT_CHECK_PERIOD_MILLIS = 500;

    private final IceUdpPort port;
    private final IceListener listener;
    private final DatagramHandler handler;
    private final Clock clock;
    private final ScheduledFuture<?> consentCheck;
    private final Object lock = new Object();
    private AgentState current;
    private volatile boolean closed;

    /** The ice4j objects of one ICE generation; a restart replaces all of them. */
    private final class AgentState {
        final Agent agent;
        final IceMediaStream stream;
        final Component component;
        final AtomicBoolean writable = new AtomicBoolean();
        final AtomicBoolean connected = new AtomicBoolean();
        final AtomicBoolean ended = new AtomicBoolean();
        volatile long lastConsentMillis;

        AgentState() throws IOException {
            agent = new Agent();
            // The offerer (the browser) controls; with a=ice-lite it must (RFC 8445 §6.1.1).
            agent.setControlling(false);
            // Only the shared port: no ephemeral sockets per agent.
            agent.setUseDynamicPorts(false);
            agent.setPerformConsentFreshness(true);
            for (SinglePortUdpHarvester harvester : port.harvesters()) {
                agent.addCandidateHarvester(harvester);
            }
            stream = agent.createMediaStream("bundle");
            // Every pair that succeeded stays alive (consent checks on each), and payload goes back on the pair it
            // last came from (ice4j.send-to-last-received-from-address, IceUdpPort): the browser controls, and may
            // move to another pair after ICE completed (Chrome does, to a pair it finds better), which ice4j would
            // otherwise ignore once terminated, sending on into a path the browser has dropped.
            component = agent.createComponent(stream, KeepAliveStrategy.ALL_SUCCEEDED, false);
            component.setBufferCallback(this::onBuffer);
            agent.addStateChangeListener(this::onStateChange);
            stream.addPairChangeListener(this::onPairChange);
        }

        private void onBuffer(Buffer buffer) {
            if (!closed && current == this) {
                handler.onDatagram(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
            }
        }

        private void onStateChange(PropertyChangeEvent event) {
            if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(event.getPropertyName()) || current != this) {
                return;
            }
            IceProcessingState state = (IceProcessingState) event.getNewValue();
            if (state == IceProcessingState.COMPLETED && connected.compareAndSet(false, true)) {
                lastConsentMillis = clock.millis();
                listener.onConnected();
            } else if (state == IceProcessingState.FAILED && ended.compareAndSet(false, true)) {
                if (connected.get()) {
                    // ice4j fails an established agent when consent checks go unanswered.
                    listener.onConsentExpired();
                } else {
                    listener.onFailed();
                }
            }
        }

        private void onPairChange(PropertyChangeEvent event) {
            if (current != this) {
                return;
            }
            if (IceMediaStream.PROPERTY_PAIR_VALIDATED.equals(event.getPropertyName())
                    && writable.compareAndSet(false, true)) {
                lastConsentMillis = clock.millis();
                listener.onWritable();
            } else if (IceMediaStream.PROPERTY_PAIR_CONSENT_FRESHNESS_CHANGED.equals(event.getPropertyName())) {
                lastConsentMillis = clock.millis();
            }
        }

        void checkConsent(long timeoutMillis) {
            if (writable.get() && !ended.get() && clock.millis() - lastConsentMillis > timeoutMillis
                    && ended.compareAndSet(false, true)) {
                listener.onConsentExpired();
            }
        }
    }

    /**
     * Creates the agent and gathers the local candidates on the shared port.
     *
     * @throws IOException when ice4j cannot create the component
     */
    public IceTransport(IceUdpPort port, IceListener listener, DatagramHandler handler,
                        ScheduledExecutorService scheduler, Clock clock) throws IOException {
        this.port = port;
        this.listener = listener;
        this.handler = handler;
        this.clock = clock;
        this.current = new AgentState();
        long timeout = port.config().consentTimeout().toMillis();
        this.consentCheck = scheduler.scheduleAtFixedRate(() -> {
            AgentState state;
            synchronized (lock) {
                state = current;
            }
            if (!closed) {
                state.checkConsent(timeout);
            }
        }, CONSENT_CHECK_PERIOD_MILLIS, CONSENT_CHECK_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Our ufrag for the SDP answer; changes on {@link #restart()}. */
    public String localUfrag() {
        synchronized (lock) {
            return current.agent.getLocalUfrag();
        }
    }

    /** Our password for the SDP answer; changes on {@link #restart()}. */
    public String localPassword() {
        synchronized (lock) {
            return current.agent.getLocalPassword();
        }
    }

    /**
     * Our candidates for the answer: a host candidate per configured address on the shared port, plus, when a
     * public address is configured, a server-reflexive candidate for it on the same port (RFC 8445 §5.1.1.2).
     */
    public List<IceCandidate> localCandidates() {
        List<IceCandidate> out = new ArrayList<>();
        List<LocalCandidate> locals;
        synchronized (lock) {
            locals = current.component.getLocalCandidates();
        }
        int localPreference = LOCAL_PREFERENCE;
        for (LocalCandidate local : locals) {
            if (local.getType() != CandidateType.HOST_CANDIDATE) {
                continue;
            }
            TransportAddress address = local.getTransportAddress();
            out.add(new IceCandidate(local.getFoundation(), 1, "udp",
                    IceCandidate.priority(IceCandidate.HOST_PREFERENCE, localPreference, 1),
                    address.getHostAddress(), address.getPort(), "host", null, 0));
            port.config().publicAddress().ifPresent(pub -> out.add(new IceCandidate(
                    "s" + local.getFoundation(), 1, "udp",
                    IceCandidate.priority(IceCandidate.SERVER_REFLEXIVE_PREFERENCE, LOCAL_PREFERENCE, 1),
                    pub.getHostAddress(), address.getPort(), "srflx", address.getHostAddress(), address.getPort())));
            localPreference--;
        }
        return out;
    }

    /**
     * Starts connectivity checks with the offer's credentials. Remote candidates are optional: a browser's
     * checks reach us anyway and ice4j learns it as peer-reflexive; the usable ones (UDP, literal IPv4/IPv6,
     * component 1) are added so that ice4j can also check towards them.
     */
    public void start(String remoteUfrag, String remotePassword, List<IceCandidate> remoteCandidates) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            AgentState state = current;
            state.stream.setRemoteUfrag(remoteUfrag);
            state.stream.setRemotePassword(remotePassword);
            for (IceCandidate candidate : remoteCandidates) {
                toRemote(candidate, state.component).ifPresent(state.component::addRemoteCandidate);
            }
            state.agent.startConnectivityEstablishment();
        }
    }

    /**
     * A trickled remote candidate (RFC 8838) for the current generation, after {@link #start}. Candidates ice4j
     * cannot use (mDNS names, TCP) are ignored: peer-reflexive learning covers them.
     */
    public void addRemoteCandidate(IceCandidate candidate) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            AgentState state = current;
            toRemote(candidate, state.component).ifPresent(remote -> {
                state.component.addUpdateRemoteCandidates(remote);
                state.component.updateRemoteCandidates();
            });
        }
    }

    private static Optional<RemoteCandidate> toRemote(IceCandidate candidate, Component component) {
        if (candidate.component() != 1 || !candidate.transport().equals("udp")
                || !candidate.address().matches("[0-9.]+|[0-9a-fA-F:]+")) {
            // mDNS names (.local) and TCP candidates are skipped; peer-reflexive learning covers them.
            return Optional.empty();
        }
        try {
            TransportAddress address = new TransportAddress(InetAddress.getByName(candidate.address()),
                    candidate.port(), Transport.UDP);
            return Optional.of(new RemoteCandidate(address, component,
                    CandidateType.parse(candidate.type()), candidate.foundation(), candidate.priority(), null));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * ICE restart (RFC 8445 §9): frees the current agent and creates one with new local credentials. The caller
     * answers with the new {@link #localUfrag()}, {@link #localPassword()} and candidates, then calls
     * {@link #start} with the new offer's credentials. DTLS and SRTP state survive a restart; sends fail until the
     * new agent has a valid pair.
     */
    public void restart() throws IOException {
        synchronized (lock) {
            if (closed) {
                return;
            }
            AgentState old = current;
            old.ended.set(true);
            // Free first: the shared port maps the peer's address to the old agent until it is freed.
            old.agent.free();
            current = new AgentState();
        }
    }

    /** Sends a datagram on the selected pair. */
    public void send(byte[] buf, int off, int len) throws IOException {
        Component component;
        synchronized (lock) {
            if (closed) {
                throw new IOException("ICE transport closed");
            }
            component = current.component;
        }
        component.send(buf, off, len);
    }

    /** Whether our SDP announces ice-lite (configured per node). */
    public boolean isLite() {
        return port.config().iceLite();
    }

    /** Whether a pair has been validated in the current generation. */
    public boolean isWritable() {
        synchronized (lock) {
            return current.writable.get();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            consentCheck.cancel(false);
            current.ended.set(true);
            current.agent.free();
        }
    }
}
