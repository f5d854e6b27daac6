// JUnit 5 + Testcontainers: a throwaway sandbank per test class, ready when its healthcheck is.
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

@Testcontainers
class SandbankTest {
    static final String DEMO_KEY = "sandbank-demo-key";

    @Container
    static final GenericContainer<?> SANDBANK =
            new GenericContainer<>("ghcr.io/sandbank/sandbank:0.1.0")
                    .withExposedPorts(8080)
                    .waitingFor(Wait.forHealthcheck());

    @Test
    void panValidationAnswers() throws Exception {
        String base = "http://" + SANDBANK.getHost() + ":" + SANDBANK.getMappedPort(8080);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v0/panValidation"))
                .header("apikey", DEMO_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pan\":\"ABCPE1234F\"}"))
                .build();
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"FirstName\":\"Rahul\""), response.body());
    }
}
