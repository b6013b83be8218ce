package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"reflect"
	"slices"
)

// Segment reuse. Every option of a trial sees the same random streams
// (common random numbers), and in the independent engine a segment's
// accounts depend only on the segment's own inputs. So when two options of
// a trial give a segment the same inputs (an option that cuts CSMs leaves
// the digital SMB book alone; a sensitivity run moves one input at a
// time), the segment's book is the same, bit for bit, and is simulated once
// and copied. The key is the segment's content (a SHA-256 of its
// definition, accounts file included) and every number the trial resolved
// for it, compared exactly.

// segKey identifies a segment's simulation in a trial: its content, the
// horizon, the trial and its resolved inputs, compared as values.
type segKey struct {
	static [16]byte // content of the Segment
	trial  uint64
	h      int
	in     segInputs
}

// segEntry is one simulated segment of the current trial.
type segEntry struct {
	key segKey
	b   *book
	out segOutput
}

// segOutput is what a segment's simulation leaves beside the book: its own
// MRR and logos (diffs booked account by account), its count of accounts,
// and its renewal calendars.
type segOutput struct {
	mrrD, logosD []float64
	newD         []float64 // the part of mrrD from new logos (CLV of new logos)
	servedD      []float64 // accounts served, diffs by month (pools' hours needed)
	accounts     float64   // accounts simulated: opening book and new logos
	newAccounts  float64   // of which new logos
	scheds       []schedule
}

func (o *segOutput) save(r *segRun) {
	o.mrrD = append(o.mrrD[:0], r.mrrD...)
	o.logosD = append(o.logosD[:0], r.logosD...)
	o.newD = append(o.newD[:0], r.newD...)
	o.servedD = append(o.servedD[:0], r.servedD...)
	o.accounts, o.newAccounts = r.accounts, r.newAccounts
	for len(o.scheds) < len(r.scheds) {
		o.scheds = append(o.scheds, schedule{})
	}
	o.scheds = o.scheds[:len(r.scheds)]
	for c := range r.scheds {
		o.scheds[c].copyFrom(&r.scheds[c])
	}
}

func (o *segOutput) restore(r *segRun) {
	copy(r.mrrD, o.mrrD)
	copy(r.logosD, o.logosD)
	copy(r.newD, o.newD)
	copy(r.servedD, o.servedD)
	r.accounts, r.newAccounts = o.accounts, o.newAccounts
	for c := range r.scheds {
		r.scheds[c].copyFrom(&o.scheds[c])
	}
}

// apart runs simulate into *scratch, a book of its own, then adds it to
// the trial's book: what is kept for reuse is exactly what was added.
func (w *worker) apart(scratch **book, simulate func()) {
	if *scratch == nil {
		*scratch = newBook(w.b.h)
	}
	total := w.b
	w.b = *scratch
	w.b.reset()
	simulate()
	w.b = total
	total.add(*scratch)
}

// maxReuse bounds the segments kept per trial (a sweep over many points
// keeps the first ones).
const maxReuse = 64

// reuse holds a worker's segments of the current trial.
type reuse struct {
	trial   uint64
	n       int
	entries []segEntry
	statics map[*Segment][16]byte // per Segment: models do not change during a run
	scratch *book
	hits    int // segments reused, for tests
	served  servedReuse
}

// key returns the key of segment r in the current trial.
func (w *worker) segKey(r *segRun) segKey {
	ru := &w.reuse
	if ru.statics == nil {
		ru.statics = map[*Segment][16]byte{}
	}
	st, ok := ru.statics[r.seg]
	if !ok {
		h := sha256.New()
		hashValue(h, reflect.ValueOf(r.seg).Elem())
		copy(st[:], h.Sum(nil))
		ru.statics[r.seg] = st
	}
	return segKey{static: st, trial: w.trial, h: w.b.h, in: r.segInputs}
}

// simulateSegment runs segment r's accounts through the independent engine
// into the trial's book, or copies them from an earlier option of the
// trial that gave the segment the same inputs.
func (w *worker) simulateSegment(r *segRun) {
	ru := &w.reuse
	ru.beginTrial(w.trial)
	// Recording account paths, or booking them the slow way for a test,
	// must simulate every account.
	cache := w.record == nil && !w.check.pathBooking && !w.check.noReuse
	var key segKey
	if cache {
		key = w.segKey(r)
	}
	for i := range ru.n {
		if e := &ru.entries[i]; cache && e.key == key {
			w.b.add(e.b)
			e.out.restore(r)
			ru.hits++
			return
		}
	}
	w.apart(&ru.scratch, func() { w.segmentAccounts(r) })
	if !cache || ru.n == maxReuse {
		return
	}
	if ru.n == len(ru.entries) {
		ru.entries = append(ru.entries, segEntry{b: newBook(w.b.h)})
	}
	e := &ru.entries[ru.n]
	ru.n++
	e.key = key
	e.b.copyFrom(ru.scratch)
	e.out.save(r)
}

// hashValue writes v's content to h: numbers by their bits, strings,
// slices and arrays element by element, pointers and interfaces by what
// they point to (with the dynamic type's name). Maps, functions and
// channels, which models do not hold, count by identity.
func hashValue(h interface{ Write([]byte) (int, error) }, v reflect.Value) {
	var buf [8]byte
	put := func(x uint64) {
		binary.LittleEndian.PutUint64(buf[:], x)
		h.Write(buf[:])
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			put(1)
		} else {
			put(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		put(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		put(v.Uint())
	case reflect.Float32, reflect.Float64:
		put(math.Float64bits(v.Float()))
	case reflect.String:
		put(uint64(v.Len()))
		h.Write([]byte(v.String()))
	case reflect.Slice, reflect.Array:
		put(uint64(v.Len()))
		for i := range v.Len() {
			hashValue(h, v.Index(i))
		}
	case reflect.Struct:
		h.Write([]byte(v.Type().String()))
		for i := range v.NumField() {
			hashValue(h, v.Field(i))
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			put(0)
			return
		}
		put(1)
		if v.Kind() == reflect.Interface {
			h.Write([]byte(v.Elem().Type().String()))
		}
		hashValue(h, v.Elem())
	case reflect.Map, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		// Not in models today; by identity, which can only miss a reuse.
		put(uint64(v.Pointer()))
	default:
		put(uint64(v.Kind()))
	}
}

// The served book. When a trial's team is short, the segments CSMs serve
// run month by month together, sharing the team's hours. Options that
// leave those segments, the team's hours, the assignment rule and the
// response curves alone (a sensitivity run moving a digital segment's
// churn or the CSMs' salary) get the same served book, which is then
// simulated once per trial and copied like a segment.

// servedEntry is one month-by-month run of a trial's served book.
type servedEntry struct {
	assign Assignment
	resp   [16]byte
	hours  []float64 // the team's hours as planned
	segs   []segKey  // the served segments' keys, in model order
	b      *book
	stats  []syncStats
	outs   []segOutput // per served segment
}

// maxServedReuse bounds the served books kept per trial.
const maxServedReuse = 16

// servedReuse holds a worker's served books of the current trial.
type servedReuse struct {
	planned []float64 // scratch: the team's hours before a run
	n       int
	entries []servedEntry
	resps   map[*Response][16]byte
	scratch *book
	keys    []segKey
	hits    int
}

// beginTrial forgets the entries of another trial.
func (ru *reuse) beginTrial(trial uint64) {
	if ru.trial != trial {
		ru.trial, ru.n, ru.served.n = trial, 0, 0
	}
}

// simulateServed runs the served book month by month (runServed) into the
// trial's book, or copies it from an earlier option of the trial with the
// same served segments, hours, assignment and response curves.
func (w *worker) simulateServed(team *teamPath, assign Assignment, resp *Response) {
	ru := &w.reuse
	ru.beginTrial(w.trial)
	sr := &ru.served
	// A team whose load may raise its attrition is stepped again month
	// by month (teamPath.month) in ways its planned hours do not tell: its
	// runs are neither kept nor looked up.
	cache := w.record == nil && !w.check.pathBooking && !w.check.noReuse && !w.loadAttrition(resp)
	var rk [16]byte
	if cache {
		if sr.resps == nil {
			sr.resps = map[*Response][16]byte{}
		}
		// A model's own curves are hashed once; a trial's drawn curves
		// (w.resp, refilled for every option) each time.
		var ok bool
		if rk, ok = sr.resps[resp]; !ok || resp == &w.resp {
			h := sha256.New()
			hashValue(h, reflect.ValueOf(resp).Elem())
			copy(rk[:], h.Sum(nil))
			if resp != &w.resp {
				sr.resps[resp] = rk
			}
		}
		sr.keys = sr.keys[:0]
		for i := range w.segs {
			if r := &w.segs[i]; w.ls.serves(r) {
				sr.keys = append(sr.keys, w.segKey(r))
			}
		}
		for i := range sr.n {
			e := &sr.entries[i]
			if e.assign != assign || e.resp != rk || !sameBits(e.hours, team.hours) || !slices.Equal(e.segs, sr.keys) {
				continue
			}
			w.b.add(e.b)
			copy(w.stats, e.stats)
			k := 0
			for i := range w.segs {
				if r := &w.segs[i]; w.ls.serves(r) {
					e.outs[k].restore(r)
					k++
				}
			}
			sr.hits++
			return
		}
	}
	planned := append(sr.planned[:0], team.hours...)
	sr.planned = planned
	w.apart(&sr.scratch, func() { w.runServed(team, assign, resp) })
	if !cache || sr.n == maxServedReuse {
		return
	}
	if sr.n == len(sr.entries) {
		sr.entries = append(sr.entries, servedEntry{b: newBook(w.b.h)})
	}
	e := &sr.entries[sr.n]
	sr.n++
	e.assign, e.resp = assign, rk
	e.hours = append(e.hours[:0], planned...)
	e.segs = append(e.segs[:0], sr.keys...)
	e.b.copyFrom(sr.scratch)
	e.stats = append(e.stats[:0], w.stats...)
	k := 0
	for i := range w.segs {
		if r := &w.segs[i]; w.ls.serves(r) {
			if k == len(e.outs) {
				e.outs = append(e.outs, segOutput{})
			}
			e.outs[k].save(r)
			k++
		}
	}
	e.outs = e.outs[:k]
}

// sameBits reports whether a and b hold the same floats, bit for bit.
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}
