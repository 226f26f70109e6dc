// A single-client deployment exactly as before named clients existed: only the parameters azd has always passed.
using '../../../infra/main.bicep'

param environmentName = 'welkin-test'
param location = 'westeurope'
param welkinApiClient = 'fake-default-key'
param welkinSecret = 'fake-default-secret'
