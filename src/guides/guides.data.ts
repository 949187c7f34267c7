import type { Guide, Step, Variable } from './guide.model.ts';

// The guides, in the order the index lists them. Spanish first, English beside.

const BASE: Variable = {
  name: 'BASE', value: '{{BASE}}',
  text: { es: 'La dirección de este sandbox (en su máquina, http://localhost:8080).', en: 'This sandbox’s address (on your machine, http://localhost:8080).' },
};
const KEYS: Variable[] = [
  { name: 'CLIENT_ID', value: 'su-client-id', text: { es: 'El client id de su aplicación («Aplicaciones oAuth»; `npm start` imprime el de la demo).', en: 'Your app’s client id (“Aplicaciones oAuth”; `npm start` prints the demo’s).' } },
  { name: 'CLIENT_SECRET', value: 'su-client-secret', text: { es: 'Su client secret, del mismo lugar.', en: 'Your client secret, from the same place.' } },
];
const SANDBOX: Variable[] = [
  { name: 'SANDBOX_PATH', value: 'bc38875a09308a2', text: { es: 'La ruta secreta de los ayudantes del sandbox: el servidor la imprime al arrancar (un sandbox local usa la publicada, la de aquí).', en: 'The secret path of the sandbox helpers: the server prints it at start (a local sandbox uses the published one, this one).' } },
  { name: 'AUTORIZE_TOKEN', value: '83a2a1f9105f810757355a843e5579d8', text: { es: 'El token de autorize.json, impreso con la ruta (el publicado en un sandbox local).', en: 'The autorize.json token, printed with the path (the published one on a local sandbox).' } },
];

const token: Step = {
  text: {
    es: 'Pida un token de acceso con las llaves de su aplicación (grant `urn:client_apps`). Dura una hora.',
    en: 'Ask for an access token with your app’s keys (grant `urn:client_apps`). It lasts one hour.',
  },
  curl: 'curl -s -X POST "{{BASE}}/oauth/v2/token" -d grant_type=urn:client_apps -d "client_id={{CLIENT_ID}}" -d "client_secret={{CLIENT_SECRET}}"',
  status: 200,
  answer: { access_token: '{{TOKEN}}', expires_in: 3600, token_type: 'bearer', scope: 'API', refresh_token: '{{REFRESH_TOKEN}}' },
};

const createSale: Step = {
  text: {
    es: 'Cree una venta de Bs. 20,00 (`intent=sale`, el botón de pago). La respuesta trae su id y el enlace a la página donde el cliente la autoriza.',
    en: 'Create a sale of Bs. 20.00 (`intent=sale`, the payment button). The answer holds its id and the link to the page where the customer authorizes it.',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/payment-intent/.json" -H "Authorization: Bearer {{TOKEN}}"'
    + ' -d "paymentintent[intent]=sale"'
    + ' -d "paymentintent[redirectUrls][returnUrl]=https://tienda.example/ok"'
    + ' -d "paymentintent[redirectUrls][cancelUrl]=https://tienda.example/ko"'
    + ' -d "paymentintent[transactions][0][amount][total]=20.00"'
    + ' -d "paymentintent[transactions][0][description]=Pedido 1"',
  status: 200,
  answer: {
    id: '{{INTENT_ID}}', intent: 'sale', state: 'created', total: { amount: 20 },
    _links: { approval_url: { href: '{{APPROVAL_URL}}', method: 'GET' } },
  },
};

const approve: Step = {
  text: {
    es: 'En el sandbox, un comprador de prueba la autoriza por usted: es lo que haría un cliente al pulsar «Autorizar». La respuesta dice quién pagará.',
    en: 'In the sandbox a test buyer authorizes it for you: what a customer does by pressing “Autorizar”. The answer says who will pay.',
  },
  curl: 'curl -s "{{BASE}}/{{SANDBOX_PATH}}/payment-intent/autorize.json?access_token={{AUTORIZE_TOKEN}}&id={{INTENT_ID}}"',
  status: 200,
  answer: { id: '{{INTENT_ID}}', state: 'authorized', payer: { payer_info: { id: '{{PAYER_ID}}' } } },
};

const execute: Step = {
  text: {
    es: 'Ejecute la venta: el dinero pasa del comprador a su cuenta en un solo asiento contable. Un 200 significa que ya está guardado.',
    en: 'Execute the sale: the money moves from the buyer to your account in one ledger entry. A 200 means it is already stored.',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/payment-intent/execute/sale.json?id={{INTENT_ID}}" -H "Authorization: Bearer {{TOKEN}}"'
    + ' -d "payment_execution[paymentIntent]={{INTENT_ID}}" -d "payment_execution[payer]={{PAYER_ID}}"',
  status: 200,
  answer: {
    id: '{{INTENT_ID}}', state: 'executed',
    transactions: [{ related_resources: { sale: { id: '{{PAYMENT_ID}}', ref: '{{PAYMENT_REF}}', _data: { summary_1: 'Recibido: 20,00 VES', status: 'Completado' } } } }],
  },
};

const show: Step = {
  text: {
    es: 'Consulte la venta cuando quiera: su estado y el pago que la cobró.',
    en: 'Look the sale up whenever you like: its state and the payment that collected it.',
  },
  curl: 'curl -s "{{BASE}}/api/payment-intent/show.json?id={{INTENT_ID}}" -H "Authorization: Bearer {{TOKEN}}"',
  status: 200,
  answer: { id: '{{INTENT_ID}}', intent: 'sale', state: 'executed', transactions: [{ related_resources: { sale: { id: '{{PAYMENT_ID}}' } } }] },
};

export const GUIDES: Guide[] = [
  {
    slug: { es: 'primer-pago', en: 'first-payment' },
    title: { es: 'Su primer pago en cinco minutos', en: 'Your first payment in five minutes' },
    intro: [
      {
        es: 'Con `curl` y las llaves de una aplicación del sandbox: pida un token, cree una venta, hágala autorizar por el comprador de prueba del sandbox, ejecútela y consúltela.',
        en: 'With `curl` and the keys of a sandbox app: get a token, create a sale, have the sandbox’s test buyer authorize it, execute it and look it up.',
      },
      {
        es: 'Defina primero estas variables en su terminal; cada respuesta le da las siguientes (`TOKEN`, `INTENT_ID`, `PAYER_ID`).',
        en: 'Set these variables in your terminal first; each answer gives you the next ones (`TOKEN`, `INTENT_ID`, `PAYER_ID`).',
      },
    ],
    variables: [BASE, ...KEYS, ...SANDBOX],
    steps: [token, createSale, approve, execute, show],
  },
];

export function findGuide(lang: 'es' | 'en', slug: string): Guide | undefined {
  return GUIDES.find((g) => g.slug[lang] === slug);
}
