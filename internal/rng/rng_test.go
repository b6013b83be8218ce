package rng

// Statistical tests of the generator (issue 14, item 4): uniformity, the
// moments and tails of the ziggurat normal and exponential against their
// closed forms, Kolmogorov-Smirnov fits, and determinism.
//
// Every test is seeded with fixed keys, so it is deterministic: a correct
// generator passes every time, and a change to the generator that moves
// any of these statistics is caught. The bounds are nevertheless derived as
// if the draws were random: a chi-square or KS statistic is compared with its
// critical value at a false-alarm rate of alpha = 1e-6, and a sample moment
// or frequency with its closed form plus or minus stattest.ZTol = 5 standard errors
// (a two-sided normal false-alarm rate of 5.7e-7), so a correct generator
// fails any one check with negligible probability, whatever the keys.

import (
	"math"
	"sort"
	"testing"

	"csplan/internal/stattest"
)

const alpha = stattest.Alpha // the false-alarm rate of the KS tests

// ksCrit is the alpha critical value of the one-sample Kolmogorov-Smirnov
// statistic D_n: P(sqrt(n) D_n > c) -> 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2
// c^2) (Kolmogorov's limit), solved for c by bisection, with Stephens'
// finite-n correction D_crit = c / (sqrt(n) + 0.12 + 0.11/sqrt(n)).
func ksCrit(n int) float64 {
	surv := func(c float64) float64 {
		var s float64
		for k := 1; k <= 100; k++ {
			term := 2 * math.Exp(-2*float64(k*k)*c*c)
			if k%2 == 0 {
				term = -term
			}
			s += term
		}
		return s
	}
	lo, hi := 0.5, 10.0
	for range 100 {
		mid := (lo + hi) / 2
		if surv(mid) > alpha {
			lo = mid
		} else {
			hi = mid
		}
	}
	rn := math.Sqrt(float64(n))
	return lo / (rn + 0.12 + 0.11/rn)
}

// ksStat is the Kolmogorov-Smirnov statistic sup |F_n(x) - F(x)| of a
// sample against the CDF F; it sorts xs.
func ksStat(xs []float64, cdf func(float64) float64) float64 {
	sort.Float64s(xs)
	n := float64(len(xs))
	var d float64
	for i, x := range xs {
		f := cdf(x)
		d = max(d, f-float64(i)/n, float64(i+1)/n-f)
	}
	return d
}

// normPath peeks at the first draw a Norm call on s would make (s is a
// copy) and returns its layer and whether it leaves the fast path: into
// the tail algorithm for layer 0, into the wedge test otherwise.
func normPath(s Stream) (layer uint64, slow bool) {
	u := s.Uint64()
	layer = u >> 32 & 0x7f
	return layer, absInt32(int32(u)) >= zig.kn[layer]
}

// pSlow is P(|j| ≥ k) for j uniform on the 2^32 int32 values: |j| < k
// holds for the 2k - 1 values -(k-1) .. k-1.
func pSlow(k int64) float64 {
	if k == 0 {
		return 1
	}
	return 1 - float64(2*k-1)/(1<<32)
}

// normSurv is the standard normal upper tail P(Z > x) = erfc(x/√2)/2.
func normSurv(x float64) float64 { return 0.5 * math.Erfc(x/math.Sqrt2) }

// normCDF is the standard normal CDF.
func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// TestRngSplitMix64KnownAnswer pins the stream to the published SplitMix64
// reference outputs for state 0 (Vigna's splitmix64.c), so the generator is
// SplitMix64 value for value.
func TestRngSplitMix64KnownAnswer(t *testing.T) {
	s := Stream{}
	for i, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f, 0xf88bb8a8724c81ec} {
		if got := s.Uint64(); got != want {
			t.Fatalf("draw %d = %#x, want %#x", i, got, want)
		}
	}
}

// TestRngDeterminism checks that a stream is a pure function of its name:
// the same (key, purpose) gives the same sequence of every variate, a
// copied Stream continues exactly as the original, and a different key or
// purpose gives a different sequence.
func TestRngDeterminism(t *testing.T) {
	draw := func(s *Stream, i int) float64 {
		switch i % 5 {
		case 0:
			return float64(s.Uint64())
		case 1:
			return s.Uniform()
		case 2:
			return s.Norm()
		case 3:
			return s.Exp()
		}
		return float64(s.Index(1000))
	}
	const n = 10000
	key := Mix(12345)
	a, b := New(key, 3), New(key, 3)
	for i := range n {
		if x, y := draw(&a, i), draw(&b, i); x != y {
			t.Fatalf("draw %d differs between two streams of one name: %v vs %v", i, x, y)
		}
	}
	c := a // a copy continues the same sequence, independently of a
	want := make([]float64, n)
	for i := range n {
		want[i] = draw(&a, i)
	}
	for i := range n {
		if got := draw(&c, i); got != want[i] {
			t.Fatalf("copied stream diverges at draw %d: %v vs %v", i, got, want[i])
		}
	}
	for _, o := range []Stream{New(key, 4), New(key+1, 3), New(key^1<<63, 3)} {
		base := New(key, 3)
		same := 0
		for range 100 {
			if o.Uint64() == base.Uint64() {
				same++
			}
		}
		if same > 0 {
			t.Errorf("stream of a different name shares %d of 100 draws", same)
		}
	}
}

// TestRngUniformChiSquare bins 2^22 uniforms into 1,000 equal bins: Pearson's
// statistic is chi-square with 999 degrees of freedom under uniformity.
// It also checks the open interval (0, 1) and the mean 1/2 (SE
// sqrt(1/12n)) and variance 1/12 (SE sqrt((mu4 - sigma^4)/n) with
// mu4 = 1/80, so sqrt((1/80 - 1/144)/n)).
func TestRngUniformChiSquare(t *testing.T) {
	const n, bins = 1 << 22, 1000
	s := New(Mix(1), 1)
	obs := make([]int, bins)
	var sum, sum2 float64
	lo, hi := 1.0, 0.0
	for range n {
		u := s.Uniform()
		obs[int(u*bins)]++
		sum += u
		sum2 += (u - 0.5) * (u - 0.5)
		lo, hi = min(lo, u), max(hi, u)
	}
	if lo <= 0 || hi >= 1 {
		t.Errorf("uniforms outside (0, 1): min %v, max %v", lo, hi)
	}
	exp := make([]float64, bins)
	for i := range exp {
		exp[i] = float64(n) / bins
	}
	x, crit := stattest.ChiSquare(obs, exp), stattest.ChiSquareCrit(bins-1)
	t.Logf("chi-square %.1f on %d df, critical value %.1f at alpha %g", x, bins-1, crit, alpha)
	if x > crit {
		t.Errorf("uniform chi-square %.1f > %.1f", x, crit)
	}
	stattest.CheckZ(t, "mean", sum/n, 0.5, math.Sqrt(1.0/12/n))
	stattest.CheckZ(t, "variance", sum2/n, 1.0/12, math.Sqrt((1.0/80-1.0/144)/n))
}

// TestRngUniformSerialPairs checks independence of successive draws of a
// stream: disjoint pairs (U_2i, U_2i+1) binned on a 32×32 grid give a
// chi-square with 1023 degrees of freedom, and their Pearson correlation
// r has SE 1/sqrt(n) under independence.
func TestRngUniformSerialPairs(t *testing.T) {
	const n, g = 1 << 21, 32
	s := New(Mix(2), 1)
	obs := make([]int, g*g)
	var sxy float64
	for range n {
		u, v := s.Uniform(), s.Uniform()
		obs[int(u*g)*g+int(v*g)]++
		sxy += (u - 0.5) * (v - 0.5)
	}
	exp := make([]float64, g*g)
	for i := range exp {
		exp[i] = float64(n) / (g * g)
	}
	x, crit := stattest.ChiSquare(obs, exp), stattest.ChiSquareCrit(g*g-1)
	t.Logf("pair chi-square %.1f on %d df, critical value %.1f", x, g*g-1, crit)
	if x > crit {
		t.Errorf("serial pair chi-square %.1f > %.1f", x, crit)
	}
	// With the known mean and variance, r = 12 * mean((u - 1/2)(v - 1/2)).
	stattest.CheckZ(t, "correlation", 12*sxy/n, 0, 1/math.Sqrt(n))
}

// TestRngIndexUniform checks Index(m) for a small, a non-power-of-two and a
// large m: each value (or, for the large m, each of 1,000 equal ranges of
// values) equally likely, by chi-square, and every result in [0, m).
func TestRngIndexUniform(t *testing.T) {
	const n = 1 << 20
	for _, m := range []int{7, 1000, 1_000_000_007} {
		bins := min(m, 1000)
		s := New(Mix(uint64(m)), 2)
		obs := make([]int, bins)
		for range n {
			v := s.Index(m)
			if v < 0 || v >= m {
				t.Fatalf("Index(%d) = %d out of range", m, v)
			}
			obs[v*bins/m]++
		}
		// Bin b holds the values v with v*bins/m = b, i.e. ceil(b m/bins) to
		// ceil((b+1) m/bins) - 1.
		exp := make([]float64, bins)
		for b := range exp {
			lo, hi := (b*m+bins-1)/bins, ((b+1)*m+bins-1)/bins
			exp[b] = float64(n) * float64(hi-lo) / float64(m)
		}
		x, crit := stattest.ChiSquare(obs, exp), stattest.ChiSquareCrit(bins-1)
		t.Logf("Index(%d): chi-square %.1f on %d df, critical value %.1f", m, x, bins-1, crit)
		if x > crit {
			t.Errorf("Index(%d) chi-square %.1f > %.1f", m, x, crit)
		}
	}
}

// TestRngNormMomentsAndTails draws 2^22 ziggurat normals and checks:
//
//   - the mean (SE 1/sqrt(n)) and the variance m2 (SE sqrt((mu4 -
//     sigma^4)/n) = sqrt(2/n), since mu4 = 3);
//   - the skewness g1 = m3/m2^1.5 and kurtosis b2 = m4/m2^2 against 0 and 3,
//     with the delta-method SEs sqrt(6/n) and sqrt(24/n): to first order
//     g1 ≈ mean(Z^3 - 3Z), of variance mu6 - 6 mu4 + 9 mu2 = 15 - 18 + 9 = 6,
//     and b2 - 3 ≈ mean(Z^4 - 6Z^2 + 3), of variance mu8 - 12 mu6 + 36 mu4 -
//     (mu4 - 6)^2 = 105 - 180 + 108 - 9 = 24 (mu_k the normal's moments
//     (k-1)!!);
//   - the tails P(|Z| > 2), P(Z > 3), P(Z > 4) against erfc, and the
//     frequency of |Z| beyond the base layer's edge rn = 3.4426, which only
//     Marsaglia's tail algorithm can produce (every layer's rectangle ends
//     at or inside rn), so its frequency erfc(rn/√2) ≈ 5.8e-4 proves the
//     rare path runs as often as it should; likewise each of its two signs;
//   - how often a call's first draw enters the wedge test (layer i ≥ 1,
//     |j| ≥ kn[i]) and the tail algorithm (layer 0, |j| ≥ kn[0]), against
//     the rates the tables imply, p = (1/128) Σ_i P(|j| ≥ kn[i]) with j
//     uniform on int32, so both rare paths are shown to run;
//   - a chi-square over 1,000 equiprobable bins (bin floor(1000 Φ(z))),
//     which resolves the wedges of the 128 layers: a wedge that accepted
//     too much or too little would move about 1 % of the mass.
func TestRngNormMomentsAndTails(t *testing.T) {
	const n, bins = 1 << 22, 1000
	s := New(Mix(3), 3)
	xs := make([]float64, n)
	obs := make([]int, bins)
	var sum float64
	var abs2, gt3, gt4, tailPos, tailNeg, wedgeIn, tailIn int
	for i := range xs {
		switch k, wedge := normPath(s); {
		case k == 0 && wedge:
			tailIn++
		case wedge:
			wedgeIn++
		}
		z := s.Norm()
		xs[i] = z
		sum += z
		obs[min(int(normCDF(z)*bins), bins-1)]++
		if math.Abs(z) > 2 {
			abs2++
		}
		if z > 3 {
			gt3++
		}
		if z > 4 {
			gt4++
		}
		if z > zigRn {
			tailPos++
		} else if z < -zigRn {
			tailNeg++
		}
	}
	mean := sum / n
	var m2, m3, m4 float64
	for _, z := range xs {
		d := z - mean
		d2 := d * d
		m2 += d2
		m3 += d2 * d
		m4 += d2 * d2
	}
	m2, m3, m4 = m2/n, m3/n, m4/n
	stattest.CheckZ(t, "mean", mean, 0, math.Sqrt(1.0/n))
	stattest.CheckZ(t, "variance", m2, 1, math.Sqrt(2.0/n))
	stattest.CheckZ(t, "skewness", m3/math.Pow(m2, 1.5), 0, math.Sqrt(6.0/n))
	stattest.CheckZ(t, "kurtosis", m4/(m2*m2), 3, math.Sqrt(24.0/n))
	stattest.CheckFreq(t, "P(|Z|>2)", abs2, n, 2*normSurv(2))
	stattest.CheckFreq(t, "P(Z>3)", gt3, n, normSurv(3))
	stattest.CheckFreq(t, "P(Z>4)", gt4, n, normSurv(4))
	stattest.CheckFreq(t, "P(Z>rn)", tailPos, n, normSurv(zigRn))
	stattest.CheckFreq(t, "P(Z<-rn)", tailNeg, n, normSurv(zigRn))
	if tailPos+tailNeg == 0 {
		t.Errorf("the ziggurat's tail beyond %g was never reached", zigRn)
	}
	var pw, pt float64
	for k := range zig.kn {
		p := pSlow(int64(zig.kn[k])) / 128
		if k == 0 {
			pt = p
		} else {
			pw += p
		}
	}
	checkPaths(t, wedgeIn, tailIn, n, pw, pt)
	checkEquiprobable(t, "normal", obs, n)
}

// TestRngExpMomentsAndTails draws 2^22 ziggurat exponentials and checks:
//
//   - the mean 1 (SE 1/sqrt(n)) and variance 1 (SE sqrt((mu4 - sigma^4)/n)
//     = sqrt(8/n): the exponential's fourth central moment is 9);
//   - the raw moments E[E^k] = k! for k = 3, 4 (SE sqrt(((2k)! -
//     (k!)^2)/n), the variance of E^k);
//   - the tails P(E > 5) = e^-5 and P(E > 8) = e^-8, and the frequency
//     of E beyond the base layer's edge re = 7.697, which only the tail
//     path (re plus a fresh exponential) can produce: e^-re ≈ 4.5e-4;
//   - how often a call's first draw enters the wedge test and the tail
//     path, against the rates the tables imply, (1/256) Σ_i P(j ≥ ke[i])
//     with j uniform on uint32;
//   - a chi-square over 1,000 equiprobable bins (bin floor(1000 (1 -
//     e^-x))), which resolves the wedges of the 256 layers.
func TestRngExpMomentsAndTails(t *testing.T) {
	const n, bins = 1 << 22, 1000
	s := New(Mix(4), 4)
	obs := make([]int, bins)
	var sum, sum3, sum4 float64
	var gt5, gt8, tail, wedgeIn, tailIn int
	xs := make([]float64, n)
	for i := range xs {
		c := s // peek at the call's first draw
		u := c.Uint64()
		if k := uint8(u >> 32); uint32(u) >= zig.ke[k] {
			if k == 0 {
				tailIn++
			} else {
				wedgeIn++
			}
		}
		e := s.Exp()
		if e < 0 {
			t.Fatalf("Exp() = %v < 0", e)
		}
		xs[i] = e
		sum += e
		e2 := e * e
		sum3 += e2 * e
		sum4 += e2 * e2
		obs[min(int(-math.Expm1(-e)*bins), bins-1)]++
		if e > 5 {
			gt5++
		}
		if e > 8 {
			gt8++
		}
		if e > zigRe {
			tail++
		}
	}
	mean := sum / n
	var m2 float64
	for _, e := range xs {
		m2 += (e - mean) * (e - mean)
	}
	stattest.CheckZ(t, "mean", mean, 1, math.Sqrt(1.0/n))
	stattest.CheckZ(t, "variance", m2/n, 1, math.Sqrt(8.0/n))
	stattest.CheckZ(t, "E[E^3]", sum3/n, 6, math.Sqrt((720-36)/float64(n)))
	stattest.CheckZ(t, "E[E^4]", sum4/n, 24, math.Sqrt((40320-576)/float64(n)))
	stattest.CheckFreq(t, "P(E>5)", gt5, n, math.Exp(-5))
	stattest.CheckFreq(t, "P(E>8)", gt8, n, math.Exp(-8))
	stattest.CheckFreq(t, "P(E>re)", tail, n, math.Exp(-zigRe))
	if tail == 0 {
		t.Errorf("the ziggurat's tail beyond %g was never reached", zigRe)
	}
	var pw, pt float64
	for k, ke := range zig.ke {
		p := (1 - float64(ke)/(1<<32)) / 256
		if k == 0 {
			pt = p
		} else {
			pw += p
		}
	}
	checkPaths(t, wedgeIn, tailIn, n, pw, pt)
	checkEquiprobable(t, "exponential", obs, n)
}

// TestRngZigguratTails checks the shape of the two ziggurat tails, which
// the moment and frequency tests see only through a few hundred draws.
// Of 2^24 draws, the values beyond the base layer's edge (about 9,700
// normals beyond ±rn and 7,600 exponentials beyond re) must follow the
// conditional tail of the closed form:
//
//   - normal: the excess Y = |Z| - rn given |Z| > rn has CDF
//     1 - Q(rn + y)/Q(rn), Q the normal upper tail, and, with
//     lambda = phi(rn)/Q(rn) the inverse Mills ratio, mean lambda - rn and
//     variance 1 + rn lambda - lambda^2 (the truncated normal's);
//   - exponential: by memorylessness the excess E - re given E > re is a
//     standard exponential, of mean 1 and variance 1.
//
// The means are checked to 5 SE (SE = sd/sqrt(count)), the shapes by KS at
// alpha = 1e-6. A tail 10 % too short or too long fails both.
func TestRngZigguratTails(t *testing.T) {
	const n = 1 << 24
	sn, se := New(Mix(6), 1), New(Mix(6), 2)
	var ny, ey []float64
	for range n {
		if z := math.Abs(sn.Norm()); z > zigRn {
			ny = append(ny, z-zigRn)
		}
		if e := se.Exp(); e > zigRe {
			ey = append(ey, e-zigRe)
		}
	}
	mean := func(xs []float64) float64 {
		var s float64
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	qrn := normSurv(zigRn)
	lambda := math.Exp(-zigRn*zigRn/2) / math.Sqrt(2*math.Pi) / qrn
	stattest.CheckFreq(t, "P(|Z|>rn)", len(ny), n, 2*qrn)
	stattest.CheckZ(t, "E[|Z|-rn]", mean(ny), lambda-zigRn, math.Sqrt((1+zigRn*lambda-lambda*lambda)/float64(len(ny))))
	stattest.CheckFreq(t, "P(E>re)", len(ey), n, math.Exp(-zigRe))
	stattest.CheckZ(t, "E[E-re]", mean(ey), 1, 1/math.Sqrt(float64(len(ey))))
	for _, c := range []struct {
		name string
		xs   []float64
		cdf  func(float64) float64
	}{
		{"normal tail", ny, func(y float64) float64 { return 1 - normSurv(zigRn+y)/qrn }},
		{"exp tail", ey, func(y float64) float64 { return -math.Expm1(-y) }},
	} {
		d, crit := ksStat(c.xs, c.cdf), ksCrit(len(c.xs))
		t.Logf("%s: %d draws, KS D = %.3g, critical value %.3g", c.name, len(c.xs), d, crit)
		if d > crit {
			t.Errorf("%s: KS statistic %.3g > %.3g", c.name, d, crit)
		}
	}
}

// TestRngNormExpKolmogorovSmirnov fits 2^20 normals and 2^20 exponentials to
// their CDFs by the one-sample KS test at alpha = 1e-6.
func TestRngNormExpKolmogorovSmirnov(t *testing.T) {
	const n = 1 << 20
	crit := ksCrit(n)
	for _, c := range []struct {
		name string
		draw func(*Stream) float64
		cdf  func(float64) float64
	}{
		{"Norm", (*Stream).Norm, normCDF},
		{"Exp", (*Stream).Exp, func(x float64) float64 { return -math.Expm1(-x) }},
	} {
		s := New(Mix(5), uint64(len(c.name)))
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = c.draw(&s)
		}
		d := ksStat(xs, c.cdf)
		t.Logf("%s: KS D = %.3g (sqrt(n) D = %.3f), critical value %.3g at alpha %g", c.name, d, d*math.Sqrt(n), crit, alpha)
		if d > crit {
			t.Errorf("%s KS statistic %.3g > %.3g", c.name, d, crit)
		}
	}
}

// checkPaths compares how often a ziggurat's calls entered its wedge test
// and its tail path with the rates its tables imply.
func checkPaths(t *testing.T, wedgeIn, tailIn, n int, pw, pt float64) {
	t.Helper()
	stattest.CheckFreq(t, "wedge entry", wedgeIn, n, pw)
	stattest.CheckFreq(t, "tail entry", tailIn, n, pt)
}

// checkEquiprobable is the chi-square test of n draws counted in obs over
// bins of equal probability.
func checkEquiprobable(t *testing.T, name string, obs []int, n int) {
	t.Helper()
	exp := make([]float64, len(obs))
	for i := range exp {
		exp[i] = float64(n) / float64(len(obs))
	}
	x, crit := stattest.ChiSquare(obs, exp), stattest.ChiSquareCrit(len(obs)-1)
	t.Logf("equiprobable-bin chi-square %.1f on %d df, critical value %.1f", x, len(obs)-1, crit)
	if x > crit {
		t.Errorf("%s chi-square %.1f > %.1f", name, x, crit)
	}
}
