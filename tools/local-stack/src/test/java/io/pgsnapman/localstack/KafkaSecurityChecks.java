package io.pgsnapman.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.localstack.StackLayout.Service;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a secure stack's broker must refuse, checked against the running broker process: one service's user where
 * its declaration does not reach, a plaintext client, a wrong password, a TLS client without a certificate.
 */
final class KafkaSecurityChecks {

    private KafkaSecurityChecks() {}

    /**
     * A service's user — by password (SCRAM, the dump-worker) or by certificate (mutual TLS, the restore-worker) — may
     * describe its own topics but not publish a restore request.
     */
    static void aServiceIsDeniedATopicItDoesNotDeclare(LocalStack stack, Service service) {
        Map<String, Object> client = new HashMap<>(stack.kafkaClientOf(service));
        client.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        client.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        client.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client, new StringSerializer(),
                new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("pgsnapman.restore.requested", "forged",
                    new byte[] {0})).get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
            assertThat(producer.partitionsFor("pgsnapman.activity")).isNotEmpty();
        }
    }

    /** Only a known user with its password, or the administrator's certificate, gets an answer. */
    static void strangersAreRefused(LocalStack stack) {
        assertThatThrownBy(() -> describe(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.layout().kafkaBootstrap())))
                .as("a plaintext client").isInstanceOf(ExecutionException.class);

        Map<String, Object> wrong = new HashMap<>(stack.kafkaClientOf(Service.CONFIG));
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"config-service\" password=\"guessed\";");
        assertThatThrownBy(() -> describe(wrong)).as("a wrong password").isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SaslAuthenticationException.class);

        Map<String, Object> noCertificate = new HashMap<>(stack.kafkaAdministrator());
        noCertificate.keySet().removeIf(key -> key.startsWith("ssl.keystore") || key.equals("ssl.key.password"));
        assertThatThrownBy(() -> describe(noCertificate)).as("TLS without a client certificate")
                .isInstanceOf(ExecutionException.class);

        assertThat(describeQuietly(stack.kafkaAdministrator())).as("the administrator's certificate").isNotEmpty();
    }

    /** The cluster's nodes as that client sees them; fails as the client fails. */
    private static List<?> describe(Map<String, Object> client) throws Exception {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(settings)) {
            return List.copyOf(admin.describeCluster().nodes().get());
        }
    }

    private static List<?> describeQuietly(Map<String, Object> client) {
        try {
            return describe(client);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
