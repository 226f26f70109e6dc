// Optional: an Event Grid system topic on the token vault, so consumers can subscribe to
// Microsoft.KeyVault.SecretNewVersionCreated instead of polling. Subscriptions are the consumers' own.

param location string
param tags object
param topicName string
param tokenVaultId string

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: topicName
  location: location
  tags: tags
  properties: {
    source: tokenVaultId
    topicType: 'Microsoft.KeyVault.vaults'
  }
}

output topicId string = topic.id
output topicName string = topic.name
