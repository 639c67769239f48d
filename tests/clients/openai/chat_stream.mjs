// Calls an Infera service whose custom engine speaks the OpenAI API with the official `openai` client, pointed at
// {access_address}/v1 with Infera's credentials: INFERA_TOKEN (X-Auth-Token) or INFERA_APIKEY (app authentication).
// Prints one JSON document: the models, the streamed chat chunks with their arrival times, and a plain completion.
//   usage: INFERA_OPENAI_BASE_URL=... INFERA_TOKEN=... node chat_stream.mjs "<prompt>" <max_tokens> <delay seconds>
import OpenAI from "openai";

const baseURL = process.env.INFERA_OPENAI_BASE_URL;
const headers = process.env.INFERA_TOKEN ? { "X-Auth-Token": process.env.INFERA_TOKEN } : { apikey: process.env.INFERA_APIKEY };
const [prompt, maxTokens, delay] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
// The client always sends "Authorization: Bearer <apiKey>"; Infera reads its own headers and strips this one.
const client = new OpenAI({ baseURL, apiKey: "unused", defaultHeaders: headers, maxRetries: 0, timeout: 60_000 });

const models = [];
for await (const model of client.models.list()) {
  models.push(model.id);
}

const started = performance.now();
const stream = await client.chat.completions.create({
  model: models[0],
  messages: [{ role: "user", content: prompt }],
  max_tokens: maxTokens,
  stream: true,
  delay, // the sample's own pause between tokens, so that the test can see them arrive one by one
});
const chunks = [];
for await (const chunk of stream) {
  const choice = chunk.choices[0];
  chunks.push({ at_ms: Math.round(performance.now() - started), content: choice.delta?.content ?? null, finish_reason: choice.finish_reason });
}

const completion = await client.completions.create({ model: models[0], prompt, max_tokens: maxTokens });
console.log(JSON.stringify({ models, chunks, completion: completion.choices[0].text, usage: completion.usage }));
