package record

// MaxCtx is maxCtx, for the external tests.
const MaxCtx = maxCtx

// Follows reports whether p's next guesses are those after the keys of
// id, the key LookupKey gave id.
func (p *KeyPredictor) Follows(id int) bool { return p.prev == &p.guesses[id] }
