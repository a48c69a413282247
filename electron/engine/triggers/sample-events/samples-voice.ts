import { P, param, type SampleEventDefinition, type SampleValues } from './sample-event-types.ts';

// Alexa Skills Kit: one session/context envelope around each request.
const alexaParameters = [param('session-id', '123456789012'), param('user-id', 'testUser'), param('application-id', '987654321'), param('request-id', '1234')];

function alexaApplication(v: SampleValues) {
  return { applicationId: `amzn1.ask.skill.${v['application-id']}` };
}

function alexaSession(v: SampleValues, isNew: boolean, attributes: Record<string, unknown> = {}) {
  return { new: isNew, sessionId: `amzn1.echo-api.session.${v['session-id']}`, application: alexaApplication(v), attributes, user: { userId: `amzn1.ask.account.${v['user-id']}` } };
}

function alexaContext(v: SampleValues, options: { audioPlayer?: boolean; userId?: string } = {}) {
  const system = { application: alexaApplication(v), user: { userId: options.userId ?? `amzn1.ask.account.${v['user-id']}` }, device: { supportedInterfaces: { AudioPlayer: {} } } };
  return options.audioPlayer === false ? { System: system } : { AudioPlayer: { playerActivity: 'IDLE' }, System: system };
}

function alexaIntent(v: SampleValues, name: string, slots: Record<string, unknown>) {
  return { type: 'IntentRequest', requestId: `amzn1.echo-api.request.${v['request-id']}`, timestamp: '2016-10-27T21:06:28Z', locale: 'en-US', intent: { name, slots } };
}

const triviaQuestion = "Question 1. What was Rudolph's father's name? 1. Blixen. 2. Comet. 3. Donner. 4. Dasher. ";

function alexa(event: string, help: string, build: SampleEventDefinition['build']): SampleEventDefinition {
  return { service: 'alexa-skills-kit', event, help: `Generates an Amazon Alexa ${help} Event`, parameters: alexaParameters, build };
}

// Alexa Smart Home (payload version 2).
function smartHome(event: string, help: string, messageId: string, name: string, namespace: string, payload: Record<string, unknown>): SampleEventDefinition {
  return {
    service: 'alexa-smart-home',
    event,
    help: `Generates an Amazon Alexa Smart Home ${help} Event`,
    parameters: [],
    build: () => ({ header: { messageId, name, namespace, payloadVersion: '2' }, payload }),
  };
}
const bulb = { accessToken: '1', appliance: { additionalApplianceDetails: {}, applianceId: 'unique-id-for-non-dimmable-bulb-specific-to-user1' } };

// Lex V1: a DialogCodeHook for one intent.
function lexV1(event: string, help: string, botName: string, intent: string, slots: Record<string, unknown>): SampleEventDefinition {
  return {
    service: 'lex',
    event,
    help: `Generates an Amazon Lex ${help} Event`,
    parameters: [],
    build: () => ({
      messageVersion: '1.0',
      invocationSource: 'DialogCodeHook',
      userId: 'John',
      sessionAttributes: {},
      bot: { name: botName, alias: '$LATEST', version: '$LATEST' },
      outputDialogMode: 'Text',
      currentIntent: { name: intent, slots, confirmationStatus: 'None' },
    }),
  };
}

// Lex V2: interpretations of an utterance and the session state.
const carSlots = () => ({ ReturnDate: null, PickUpDate: null, DriverAge: null, CarType: null, PickUpCity: null });
const hotelSlots = () => ({ RoomType: null, CheckInDate: null, Nights: null, Location: null });
const v2Intent = (name: string, slots: Record<string, unknown>, state: string) => ({ slots, confirmationState: 'None', name, state });
const v2Bot = (name: string, id: string) => ({ aliasName: 'TestBotAlias', aliasId: 'TSTALIASID', name, version: 'DRAFT', localeId: 'en_US', id });
const scalar = (originalValue: string, resolved: string, interpreted = true) => ({
  shape: 'Scalar',
  value: interpreted ? { originalValue, resolvedValues: [resolved], interpretedValue: resolved } : { originalValue, resolvedValues: [resolved] },
});
const balanceSlots = () => ({ dateofBirth: scalar('01/01/1990', '1990-01-01'), accountType: scalar('savings', 'Savings') });

function lexV2Trip(event: string, help: string, sessionId: string, transcript: string, main: 'BookCar' | 'BookHotel', other: number, firstSlot: string, requestId: string): SampleEventDefinition {
  const mainSlots = main === 'BookCar' ? carSlots : hotelSlots;
  const otherIntent = main === 'BookCar' ? { intent: v2Intent('BookHotel', hotelSlots(), 'InProgress'), nluConfidence: other } : { intent: v2Intent('BookCar', carSlots(), 'InProgress'), nluConfidence: other };
  const fallback = { intent: v2Intent('FallbackIntent', {}, 'InProgress') };
  return {
    service: 'lex-v2',
    event,
    help: `Generates an Amazon Lex V2 ${help} Event`,
    parameters: [],
    build: () => ({
      sessionId,
      inputTranscript: transcript,
      interpretations: [{ intent: v2Intent(main, mainSlots(), 'InProgress'), nluConfidence: 1 }, ...(main === 'BookCar' ? [otherIntent, fallback] : [fallback, otherIntent])],
      proposedNextState: { intent: v2Intent(main, mainSlots(), 'InProgress'), dialogAction: { slotToElicit: firstSlot, type: 'ElicitSlot' } },
      responseContentType: 'text/plain; charset=utf-8',
      sessionState: { intent: v2Intent(main, mainSlots(), 'InProgress'), originatingRequestId: requestId },
      messageVersion: '1.0',
      invocationSource: 'DialogCodeHook',
      transcriptions: [{ resolvedSlots: {}, resolvedContext: { intent: main }, transcription: transcript, transcriptionConfidence: 1 }],
      inputMode: 'Text',
      bot: v2Bot('BookTrip', 'CCGFLGVZMD'),
    }),
  };
}

export const VOICE_SAMPLES: SampleEventDefinition[] = [
  alexa('end-session', 'End Session', (v) => ({
    version: '1.0',
    session: alexaSession(v, false),
    context: alexaContext(v, { audioPlayer: false }),
    request: { type: 'SessionEndedRequest', requestId: `amzn1.echo-api.request.${v['request-id']}`, timestamp: '2016-10-27T21:11:41Z', locale: 'en-US', reason: 'USER_INITIATED' },
  })),
  alexa('intent-answer', 'Intent Answer', (v) => ({
    version: '1.0',
    session: alexaSession(v, false, {
      score: 0,
      currentQuestionIndex: 0,
      speechOutput: triviaQuestion,
      correctAnswerText: 'Donner',
      repromptText: triviaQuestion,
      questions: [16, 20, 29, 2, 19],
      STATE: '_TRIVIAMODE',
      correctAnswerIndex: 3,
    }),
    context: alexaContext(v),
    request: alexaIntent(v, 'AnswerIntent', { Item: { name: 'Answer', value: '1' } }),
  })),
  alexa('intent-getnewfact', 'Intent GetNewFact', (v) => ({ version: '1.0', session: alexaSession(v, false), context: alexaContext(v), request: alexaIntent(v, 'GetNewFactIntent', {}) })),
  alexa('intent-mycoloris', 'Intent MyColorIs', (v) => ({ version: '1.0', session: alexaSession(v, false), context: alexaContext(v), request: alexaIntent(v, 'MyColorIsIntent', { Color: { name: 'Color', value: 'blue' } }) })),
  // SAM's template leaves the context's user id as the literal "userId".
  alexa('intent-recipe', 'Intent Recipe', (v) => ({
    version: '1.0',
    session: alexaSession(v, false),
    context: alexaContext(v, { userId: 'amzn1.ask.account.userId' }),
    request: alexaIntent(v, 'RecipeIntent', { Item: { name: 'Item', value: 'snowball' } }),
  })),
  alexa('start-session', 'Start Session', (v) => ({
    version: '1.0',
    session: alexaSession(v, true),
    context: alexaContext(v),
    request: { type: 'LaunchRequest', requestId: `amzn1.echo-api.request.${v['request-id']}`, timestamp: '2016-10-27T18:21:44Z', locale: 'en-US' },
  })),
  smartHome('smart-home-control-turn-off-request', 'Control Turn Off Request', 'E2D17F2F-EBD0-4B1F-BB1E-8CEE81ADCBBC', 'TurnOffRequest', 'Alexa.ConnectedHome.Control', bulb),
  smartHome('smart-home-control-turn-on-request', 'Control Turn On Request', '9484BF6A-854E-47B8-86CB-54B22F15740D', 'TurnOnRequest', 'Alexa.ConnectedHome.Control', bulb),
  smartHome('smart-home-discovery-request', 'Discovery Request', 'F8752B11-69BB-4246-B923-3BFB27C06C7D', 'DiscoverAppliancesRequest', 'Alexa.ConnectedHome.Discovery', { accessToken: '1' }),
  lexV1('book-car', 'Book Car', 'BookTrip', 'BookCar', { PickUpCity: 'Chicago', PickUpDate: '2030-11-08', ReturnDate: '2030-11-08', CarType: 'economy', DriverAge: 21 }),
  lexV1('book-hotel', 'Book Hotel', 'BookTrip', 'BookHotel', { Location: 'Chicago', CheckInDate: '2030-11-08', Nights: 4, RoomType: 'queen' }),
  lexV1('make-appointment', 'Make Appointment', 'MakeAppointment', 'MakeAppointment', { AppointmentType: 'whitening', Date: '2030-11-08', Time: '10:00' }),
  lexV1('order-flowers', 'Order Flowers', 'OrderFlowers', 'OrderFlowers', { FlowerType: 'lilies', PickupDate: '2030-11-08', PickupTime: '10:00' }),
  {
    service: 'lex-v2',
    event: 'banking-bot',
    help: 'Generates an Amazon Lex V2 Banking Bot Event',
    parameters: [],
    build: () => ({
      sessionId: '254688924456798',
      inputTranscript: '01/01/1990',
      interpretations: [
        { intent: v2Intent('CheckBalance', balanceSlots(), 'ReadyForFulfillment'), nluConfidence: 1 },
        { intent: v2Intent('FallbackIntent', {}, 'ReadyForFulfillment') },
        { intent: v2Intent('Welcome', {}, 'ReadyForFulfillment'), nluConfidence: 0.23 },
      ],
      responseContentType: 'text/plain; charset=utf-8',
      sessionState: { sessionAttributes: {}, activeContexts: [], intent: v2Intent('CheckBalance', balanceSlots(), 'ReadyForFulfillment'), originatingRequestId: 'f57dfc3f-44be-4df9-ae72-9681fc14e67f' },
      messageVersion: '1.0',
      invocationSource: 'FulfillmentCodeHook',
      transcriptions: [
        { transcription: '01/01/1990', transcriptionConfidence: 1, resolvedSlots: { dateofBirth: scalar('01/01/1990', '1990-01-01', false) }, resolvedContext: { intent: 'CheckBalance' } },
      ],
      inputMode: 'Text',
      bot: v2Bot('BankingBot', 'J866BA0UQC'),
    }),
  },
  lexV2Trip('book-car', 'Book Car', '254688924456220', 'Book a car', 'BookCar', 0.51, 'PickUpCity', 'd32005f8-c142-48b5-bf88-c2dd4c05a25e'),
  lexV2Trip('book-hotel', 'Book Hotel', '254688924456104', 'Book a hotel', 'BookHotel', 0.42, 'Location', '4686558a-ebce-49a8-9df9-f513590c0a95'),
  {
    service: 'connect',
    event: 'contact-flow-event',
    help: 'Generates an Amazon Connect Contact Flow Event',
    parameters: [P.region, P.partition, P.account, param('contact-id', '5ca32fbd-8f92-46af-92a5-6b0f970f0efe'), param('phone-number', '+11234567890')],
    build: (v) => {
      const phone = { Address: v['phone-number'], Type: 'TELEPHONE_NUMBER' };
      return {
        Name: 'ContactFlowEvent',
        Details: {
          ContactData: {
            Attributes: {},
            Channel: 'VOICE',
            ContactId: v['contact-id'],
            CustomerEndpoint: phone,
            InitialContactId: v['contact-id'],
            InitiationMethod: 'API',
            InstanceARN: `arn:${v.partition}:connect:${v.region}:${v['account-id']}:instance/9308c2a1-9bc6-4cea-8290-6c0b4a6d38fa`,
            MediaStreams: {
              Customer: {
                Audio: {
                  StartFragmentNumber: '91343852333181432392682062622220590765191907586',
                  StartTimestamp: '1565781909613',
                  StreamARN: `arn:${v.partition}:kinesisvideo:${v.region}:${v['account-id']}:stream/connect-contact-a3d73b84-ce0e-479a-a9dc-5637c9d30ac9/1565272947806`,
                },
              },
            },
            PreviousContactId: v['contact-id'],
            Queue: null,
            SystemEndpoint: { ...phone },
          },
          Parameters: {},
        },
      };
    },
  },
];
