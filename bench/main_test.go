package bench

import (
	"fmt"
	"os"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
)

func TestMain(m *testing.M) {
	fmt.Println("bench:", asm.Describe())
	os.Exit(m.Run())
}
