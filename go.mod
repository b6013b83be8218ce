module csplan

go 1.26.0

require (
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	go.yaml.in/yaml/v3 v3.0.6
	gonum.org/v1/gonum v0.17.0
)

require (
	golang.org/x/sync v0.18.0 // indirect
	golang.org/x/text v0.23.0 // indirect
)
