// Command pulumi-converter-litellm is the Pulumi converter plugin for
// LiteLLM: `pulumi import --from litellm -- --base-url …` imports every
// object of a running proxy, and `pulumi convert --from litellm` turns a
// LiteLLM config.yaml into a Pulumi program.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"

	"github.com/pulumi-litellm/pulumi-litellm/provider/convert"
)

func main() {
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterConverterServer(srv, &convert.Server{Getenv: os.Getenv})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(handle.Port) // the CLI reads the port from the first line
	if err := <-handle.Done; err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
