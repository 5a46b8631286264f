package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// componentPage is the data of a recorded component's page.
type componentPage struct {
	component
	Scheme              string
	Version             int
	FirstSeen, LastSeen string
	Arguments           []keyValue
	Schema              string // the registered component's JSON Schema, indented
	SchemaError         string // why there is none
	Runs                []store.Run
}

// component serves /components/{hash}: a recorded component, its
// signature and JSON Schema, and the runs that used it.
func (u *UI) component(w http.ResponseWriter, r *http.Request) {
	hash, err := service.CheckHashPrefix(r.PathValue("hash"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	rec, err := u.cfg.Records.Show(r.Context(), hash)
	if err == nil && rec.Component == nil {
		err = fmt.Errorf("%w: no recorded component's hash starts with %q", service.ErrNotFound, hash)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	c := *rec.Component
	if c.Hash != r.PathValue("hash") {
		http.Redirect(w, r, "/components/"+c.Hash, http.StatusFound)
		return
	}
	p := componentPage{component: componentOf("", c.Name, c.Kind, c.Hash, c.Envelope), Runs: rec.Runs,
		FirstSeen: when(c.FirstSeen), LastSeen: when(c.LastSeen)}
	var md mlregistry.Metadata
	if json.Unmarshal(c.Envelope, &md) == nil {
		p.Scheme, p.Version = md.Scheme.String(), md.Version
		for _, k := range sortedKeys(md.Arguments) {
			p.Arguments = append(p.Arguments, keyValue{k, service.FormatValue(md.Arguments[k])})
		}
	}
	if d, err := u.cfg.Catalogue.Describe(c.Kind, c.Name); err != nil {
		p.SchemaError = err.Error()
	} else {
		var b bytes.Buffer
		_ = json.Indent(&b, d.Schema, "", "  ")
		p.Schema = b.String()
	}
	u.render(w, "component", http.StatusOK, page{Title: c.Name + " " + short(c.Hash), Nav: "components", API: "/v1/records/" + c.Hash, Data: p})
}

// componentsPage is the data of /components.
type componentsPage struct {
	Name, Kind string
	Registered []service.ComponentSummary // without a name: every registered component
	Recorded   []component                // with a name: its recorded configurations
	FirstSeen  map[string]string
	Next       string
}

// components serves /components: the registered components; with
// ?name=N, the recorded configurations of N, a page at a time.
func (u *UI) components(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := componentsPage{Name: q.Get("name"), Kind: q.Get("kind"), FirstSeen: map[string]string{}}
	if p.Name == "" {
		cs, err := u.cfg.Catalogue.Components(p.Kind)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		p.Registered = cs
		u.render(w, "components", http.StatusOK, page{Title: "Components", Nav: "components", API: "/v1/components", Data: p})
		return
	}
	pg, err := u.cfg.Records.List(r.Context(), store.ComponentFilter{Name: p.Name, Kind: p.Kind, After: q.Get("after")})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, c := range pg.Components {
		p.Recorded = append(p.Recorded, componentOf("", c.Name, c.Kind, c.Hash, c.Envelope))
		p.FirstSeen[c.Hash] = when(c.FirstSeen)
	}
	if pg.Next != "" {
		v := url.Values{"name": {p.Name}, "after": {pg.Next}}
		if p.Kind != "" {
			v.Set("kind", p.Kind)
		}
		p.Next = "/components?" + v.Encode()
	}
	api := "/v1/records?" + url.Values{"name": {p.Name}}.Encode()
	if p.Kind != "" {
		api += "&kind=" + url.QueryEscape(p.Kind)
	}
	u.render(w, "components", http.StatusOK, page{Title: p.Name, Nav: "components", API: api, Data: p})
}
