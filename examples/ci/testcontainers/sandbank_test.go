// Go + testcontainers-go: a throwaway sandbank for one test, ready when its healthcheck is.
package sandbank_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

const demoKey = "sandbank-demo-key"

func TestPanValidation(t *testing.T) {
	ctx := context.Background()
	sandbank, err := testcontainers.Run(ctx, "ghcr.io/sandbank/sandbank:0.1.0",
		testcontainers.WithExposedPorts("8080/tcp"),
		testcontainers.WithWaitStrategy(wait.ForHealthCheck()),
	)
	testcontainers.CleanupContainer(t, sandbank)
	if err != nil {
		t.Fatal(err)
	}
	base, err := sandbank.PortEndpoint(ctx, "8080/tcp", "http")
	if err != nil {
		t.Fatal(err)
	}

	request, _ := http.NewRequest(http.MethodPost, base+"/api/v0/panValidation",
		strings.NewReader(`{"pan":"ABCPE1234F"}`))
	request.Header.Set("apikey", demoKey)
	request.Header.Set("Content-Type", "application/json")
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body)
	if response.StatusCode != http.StatusOK || !strings.Contains(string(body), `"FirstName":"Rahul"`) {
		t.Fatalf("panValidation: %d %s", response.StatusCode, body)
	}
}
