// Writes a Go module version corpus from golang.org/x/mod (semver.Compare, semver.IsValid,
// module.IsPseudoVersion). Lines: "cmp<TAB>a<TAB>b<TAB>sign", "valid<TAB>v<TAB>0|1", "pseudo<TAB>v<TAB>0|1".
// Run with Debian's golang-golang-x-mod-dev: GO111MODULE=off GOPATH=/usr/share/gocode go run go-semver.go
package main

import (
	"fmt"
	"math/rand"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

func main() {
	r := rand.New(rand.NewSource(1919))
	pick := func(xs ...string) string { return xs[r.Intn(len(xs))] }
	version := func() string {
		core := pick("0.0.0", "0.1.0", "1.2.3", "1.2.4", "2.0.0", "1", "1.2", "10.0.0", "1.10.0")
		if len(core) < 5 {
			return "v" + core
		}
		pre := pick("", "", "-pre", "-rc.1", "-rc.2", "-0.20191109021931-daa7c04131f5", "-0.20201109021931-0123456789ab",
			"-20191109021931-daa7c04131f5", "-pre.0.20191109021931-daa7c04131f5", "-alpha.beta", "-1", "-0")
		return "v" + core + pre + pick("", "", "+incompatible", "+build.5")
	}
	fmt.Println("# golang.org/x/mod 0.7.0 (Debian golang-golang-x-mod-dev)")
	for i := 0; i < 400; i++ {
		a, b := version(), version()
		if r.Intn(2) == 0 {
			b = a + pick("", "+incompatible", ".1", "-0")
		}
		if semver.IsValid(a) && semver.IsValid(b) {
			fmt.Printf("cmp\t%s\t%s\t%d\n", a, b, semver.Compare(a, b))
		}
	}
	for i := 0; i < 60; i++ {
		v := version()
		fmt.Printf("pseudo\t%s\t%d\n", v, map[bool]int{false: 0, true: 1}[module.IsPseudoVersion(v)])
	}
	for _, v := range []string{"v1.2.3", "v1", "v1.2", "v1.2-pre", "v01.2.3", "v1.2.3-01", "v1.2.3.4",
		"v1.2.3-", "v1.2.3+", "V1.2.3", "v1.2.3+a+b", "v1.2.3-a..b", "v"} {
		fmt.Printf("valid\t%s\t%d\n", v, map[bool]int{false: 0, true: 1}[semver.IsValid(v)])
	}
}
